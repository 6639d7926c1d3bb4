// Preloaded into CLI processes by tests: records the peak resident memory (KiB) at exit.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.CHARTAUDIT_RSS_FILE) writeFileSync(process.env.CHARTAUDIT_RSS_FILE, String(process.resourceUsage().maxRSS));
});
