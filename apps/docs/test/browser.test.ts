/**
 * The browser choice of `browser.ts`, including the path a fresh machine takes: with no system Chromium
 * (`GRAPHON_PAI_SYSTEM_CHROMIUM=''` hides `/usr/bin/chromium`), the binary shipped in `@sparticuz/chromium`
 * is unpacked and must start headless under playwright-core and run a page's script.
 */
import { chromium } from 'playwright-core';
import { chooseChromium } from './browser';

describe('chooseChromium', () => {
  test('without a system Chromium, the bundled binary launches headless and runs a page', async () => {
    const chosen = chooseChromium({ GRAPHON_PAI_SYSTEM_CHROMIUM: '' });
    expect(chosen.origin).toBe('@sparticuz/chromium');
    const browser = await chromium.launch({
      executablePath: chosen.executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
      timeout: 60_000,
    });
    try {
      const page = await browser.newPage();
      await page.setContent(
        '<p id="x"></p><script>document.getElementById("x").textContent = String(6 * 7)</script>',
      );
      expect(await page.textContent('#x')).toBe('42');
    } finally {
      await browser.close();
    }
  });

  test('GRAPHON_PAI_CHROMIUM=bundled forces the bundled binary; a system path is used when executable', () => {
    const bundled = chooseChromium({ GRAPHON_PAI_CHROMIUM: 'bundled' });
    expect(bundled.origin).toBe('@sparticuz/chromium (forced)');
    const system = chooseChromium({ GRAPHON_PAI_SYSTEM_CHROMIUM: bundled.executablePath });
    expect(system).toEqual({
      executablePath: bundled.executablePath,
      origin: `system (${bundled.executablePath})`,
    });
  });

  test('a GRAPHON_PAI_CHROMIUM that is not executable is an error naming the fix, never a skip', () => {
    expect(() => chooseChromium({ GRAPHON_PAI_CHROMIUM: '/nonexistent/chromium' })).toThrow(
      /GRAPHON_PAI_CHROMIUM=\/nonexistent\/chromium is not an executable file\. Fix:/,
    );
  });
});
