export * from './chart.js';
export * from './errors.js';
export * from './provenance.js';
export * from './report.js';
export * from './advisory.js';
export * from './stages.js';
