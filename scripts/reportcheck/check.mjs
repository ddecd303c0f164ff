// Opens a service report in headless Chromium, saves a screenshot, and checks that every
// chart rendered: each figure's SVG has a visible size and drew paths and text.
// Usage: node check.mjs REPORT.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [report, shot] = process.argv.slice(2);
if (!report || !shot) {
  console.error('usage: node check.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const requests = [];
page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
const charts = await page.$$eval('figure', (figs) => figs.map((f) => {
  const svg = f.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  return { id: f.id, width: Math.round(box.width), height: Math.round(box.height),
    paths: svg ? svg.querySelectorAll('path').length : 0, texts: svg ? svg.querySelectorAll('text').length : 0 };
}));
await page.screenshot({ path: shot, fullPage: true });
await browser.close();
let failed = requests.length > 0;
if (requests.length) console.error('the page fetched:', requests.join(' '));
if (charts.length !== 4) { console.error(`found ${charts.length} charts, want 4`); failed = true; }
for (const c of charts) {
  const good = c.width > 200 && c.height > 100 && c.paths > 5 && c.texts > 3;
  console.log(`${good ? 'ok  ' : 'FAIL'} ${c.id}: ${c.width}x${c.height} px, ${c.paths} paths, ${c.texts} labels`);
  failed ||= !good;
}
console.log(`screenshot: ${shot}`);
process.exit(failed ? 1 : 0);
