// The main thread while the reels turn, as a phone's browser runs the game: Debian's Chromium
// through puppeteer-core (which Lighthouse brings), the CPU slowed 4× (Lighthouse's mobile
// profile), a 390×844 window, on the page and API `cargo xtask serve` runs. For each spin,
// from the press until the reels rest: the longest task on the main thread (the browser's own
// `longtask` entries: tasks over 50 ms) and the frame rate (requestAnimationFrame callbacks a
// second). The baseline is the same page left idle for as long. Prints one JSON object.
//
// node spin_trace.mjs URL CHROMIUM SPINS [CHROMIUM FLAG…]
import puppeteer from 'puppeteer-core';

const [url, chromium, spins, ...flags] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: chromium, args: flags, headless: true });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844 });
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(url, { waitUntil: 'load' });
  // At rest: every reel names its symbol and the button is an enabled Spin.
  const atRest = () => {
    const button = document.querySelector('button.spin');
    return Boolean(button && !button.disabled && button.textContent === 'Spin'
      && [...document.querySelectorAll('[data-testid=reel]')].every(reel => reel.dataset.symbol));
  };
  await page.waitForFunction(atRest, { timeout: 60_000 });
  await page.evaluate(() => {
    window.__tasks = [];
    new PerformanceObserver(list => {
      for (const task of list.getEntries()) window.__tasks.push([task.startTime, task.duration]);
    }).observe({ type: 'longtask' });
    window.__frames = [];
    const frame = time => { window.__frames.push(time); requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  });
  // What the main thread did while `during` ran: its longest task and its frame rate.
  const measure = async during => {
    const start = await page.evaluate(() => performance.now());
    await during();
    const end = await page.evaluate(() => performance.now());
    // Long tasks are reported after they end: give the observer a moment.
    await new Promise(resolve => setTimeout(resolve, 200));
    return page.evaluate((start, end) => {
      const tasks = window.__tasks.filter(([at, length]) => at < end && at + length > start);
      const frames = window.__frames.filter(time => time >= start && time <= end).length;
      return {
        ms: end - start,
        longestTaskMs: Math.max(0, ...tasks.map(([, length]) => length)),
        framesPerSecond: frames > 1 ? (frames - 1) / ((end - start) / 1000) : 0,
      };
    }, start, end);
  };
  const results = { spins: [], idle: [] };
  for (let spin = 0; spin < Number(spins); spin++) {
    const played = await measure(async () => {
      await page.click('button.spin');
      await page.waitForFunction(() => document.querySelector('button.spin').textContent !== 'Spin');
      await page.waitForFunction(atRest, { timeout: 30_000 });
    });
    results.spins.push(played);
    results.idle.push(await measure(() => new Promise(resolve => setTimeout(resolve, played.ms))));
  }
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
}
