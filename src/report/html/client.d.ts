/** Types for client.js (browser code, inlined by src/report/html.ts as the source of this function). */
export declare function clientMain(): void;
