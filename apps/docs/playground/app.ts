/**
 * The playground page: a form (criterion, hidden width, density, seed, digits), Run and "Sweep widths",
 * a progress bar, then the canonical mask heatmap beside the predicted limit, the 28 × 28 input
 * connectivity map, the distances, and δ□ against width on log–log axes. The computation runs in
 * `worker.ts`; this module only draws.
 *
 * Testing hooks: the controls carry `data-testid` = `criterion`, `width`, `density`, `seed`, `digits`,
 * `run`, `sweep`; `data-testid="result"` holds the last result as JSON and gets `data-state="done"` when it
 * is complete (`running` before, `error` on failure); `data-testid="sweep-result"` likewise for a sweep.
 */
import { DIGIT_COUNTS, DIGIT_SEEDS } from './digits';
import type { PlaygroundResult } from './job';
import type { RunRequest, WorkerReply } from './protocol';
import {
  CRITERIA,
  DENSITY_RANGE,
  HEATMAP_BLOCKS,
  type PlaygroundSettings,
  SWEEP_WIDTHS,
  settingsProblems,
  WIDTH_RANGE,
} from './settings';

/** A minimal module using one SIMD instruction (the feature test of wasm-feature-detect). */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

export function hasWasmSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Grey-level heatmap of row-major `values` in [0, max] (white 0, black max) on a canvas. */
function drawHeatmap(
  canvas: HTMLCanvasElement,
  values: number[],
  rows: number,
  cols: number,
  max: number,
): void {
  const ctx = canvas.getContext('2d')!;
  const w = canvas.width / cols;
  const h = canvas.height / rows;
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < cols; b++) {
      const t = max > 0 ? Math.min(1, values[a * cols + b] / max) : 0;
      const g = Math.round(255 * (1 - t));
      ctx.fillStyle = `rgb(${g},${g},${Math.round(255 - 0.6 * (255 - g))})`;
      ctx.fillRect(b * w, a * h, Math.ceil(w), Math.ceil(h));
    }
  }
}

interface SweepPoint {
  width: number;
  toConstant: number | null;
  toLimit: number | null;
}

/** δ against width on log–log axes, as an SVG. */
function sweepSvg(points: SweepPoint[]): string {
  const W = 420;
  const H = 260;
  const m = { l: 56, r: 12, t: 12, b: 40 };
  const ys = points.flatMap((p) => [p.toConstant, p.toLimit]).filter((y): y is number => y !== null && y > 0);
  const [xMin, xMax] = [Math.log10(SWEEP_WIDTHS[0]), Math.log10(SWEEP_WIDTHS[SWEEP_WIDTHS.length - 1])];
  const yLo = ys.length ? Math.floor(Math.log10(Math.min(...ys)) * 4) / 4 : -2;
  const yHi = ys.length ? Math.ceil(Math.log10(Math.max(...ys)) * 4) / 4 : 0;
  const [yMin, yMax] = yHi > yLo ? [yLo, yHi] : [yLo - 0.25, yLo + 0.25];
  const x = (w: number) => m.l + ((Math.log10(w) - xMin) / (xMax - xMin)) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - ((Math.log10(v) - yMin) / (yMax - yMin)) * (H - m.t - m.b);
  const series = (key: 'toConstant' | 'toLimit', color: string) => {
    const pts = points.filter((p) => p[key] !== null && p[key]! > 0);
    const path = pts
      .map((p, i) => `${i ? 'L' : 'M'}${x(p.width).toFixed(1)},${y(p[key]!).toFixed(1)}`)
      .join('');
    return `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>${pts
      .map(
        (p) => `<circle cx="${x(p.width).toFixed(1)}" cy="${y(p[key]!).toFixed(1)}" r="3" fill="${color}"/>`,
      )
      .join('')}`;
  };
  const xTicks = SWEEP_WIDTHS.map(
    (w) => `<text x="${x(w)}" y="${H - m.b + 16}" text-anchor="middle" font-size="11">${w}</text>`,
  ).join('');
  const yTicks: string[] = [];
  for (let e = Math.ceil(yMin * 4) / 4; e <= yMax + 1e-9; e += 0.25) {
    yTicks.push(
      `<text x="${m.l - 6}" y="${y(10 ** e) + 4}" text-anchor="end" font-size="11">${(10 ** e).toPrecision(2)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="cut distance against width">
<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>
${xTicks}${yTicks.join('')}
<text x="${(W + m.l) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">hidden width n (log)</text>
<text x="14" y="${(H - m.b) / 2}" font-size="12" transform="rotate(-90 14 ${(H - m.b) / 2})" text-anchor="middle">δ□ upper bound (log)</text>
${series('toConstant', '#1f77b4')}${series('toLimit', '#d62728')}
<text x="${m.l + 8}" y="${m.t + 14}" font-size="11" fill="#1f77b4">to the constant p</text>
<text x="${m.l + 8}" y="${m.t + 28}" font-size="11" fill="#d62728">to the predicted limit</text>
</svg>`;
}

const fmt = (v: number | null) => (v === null ? 'none certified' : v.toFixed(4));

/** Builds the playground inside `root`; `base` is the URL of the folder holding worker.js. */
export function mountPlayground(root: HTMLElement, base: URL): void {
  root.replaceChildren();
  if (!hasWasmSimd()) {
    root.append(
      el('p', { class: 'playground-error', role: 'alert', 'data-testid': 'no-simd' }, [
        'This playground needs WebAssembly SIMD, which this browser does not offer. ' +
          'Use a current Chrome, Edge, Firefox or Safari (16.4 or later), or run the same computation with the CLI: ' +
          'graphon-pai prune --net mlp:784-1024-10 --data mnist --samples 512 --criterion snip --density 0.1 --allocation uniform --seed 0 --out mask.safetensors',
      ]),
    );
    return;
  }
  const criterion = el(
    'select',
    { id: 'pg-criterion', 'data-testid': 'criterion' },
    CRITERIA.map((c) => el('option', { value: c }, [c])),
  );
  (criterion as HTMLSelectElement).value = 'snip';
  const width = el('input', {
    id: 'pg-width',
    'data-testid': 'width',
    type: 'number',
    min: String(WIDTH_RANGE.min),
    max: String(WIDTH_RANGE.max),
    step: '1',
    value: '1024',
    required: '',
  });
  const density = el('input', {
    id: 'pg-density',
    'data-testid': 'density',
    type: 'number',
    min: String(DENSITY_RANGE.min),
    max: String(DENSITY_RANGE.max),
    step: '0.01',
    value: '0.1',
    required: '',
  });
  const seed = el(
    'select',
    { id: 'pg-seed', 'data-testid': 'seed' },
    DIGIT_SEEDS.map((s) => el('option', { value: String(s) }, [String(s)])),
  );
  const digits = el(
    'select',
    { id: 'pg-digits', 'data-testid': 'digits' },
    DIGIT_COUNTS.map((c) => el('option', { value: String(c) }, [String(c)])),
  );
  (digits as HTMLSelectElement).value = '512';
  const run = el('button', { type: 'submit', 'data-testid': 'run' }, ['Run']);
  const sweep = el('button', { type: 'button', 'data-testid': 'sweep' }, ['Sweep widths']);
  const problems = el('p', { class: 'playground-error', role: 'alert', 'data-testid': 'problems' });
  const field = (label: string, control: HTMLElement, range?: string) =>
    el('label', { class: 'playground-field' }, [
      el('span', {}, [label]),
      control,
      ...(range ? [el('small', {}, [range])] : []),
    ]);
  const form = el('form', { class: 'playground-form', novalidate: '' }, [
    field('criterion', criterion),
    field('hidden width n', width, `${WIDTH_RANGE.min}–${WIDTH_RANGE.max}`),
    field('density p (kept fraction)', density, `${DENSITY_RANGE.min}–${DENSITY_RANGE.max}`),
    field('seed', seed),
    field('digits', digits),
    el('div', { class: 'playground-actions' }, [run, sweep]),
  ]);
  const progress = el('progress', { max: '1', value: '0', 'data-testid': 'progress' });
  const stage = el('span', { 'data-testid': 'stage' });
  const maskCanvas = el('canvas', { width: '224', height: '256', 'aria-label': 'canonical mask heatmap' });
  const limitCanvas = el('canvas', { width: '224', height: '256', 'aria-label': 'predicted limit' });
  const inputCanvas = el('canvas', {
    width: '224',
    height: '224',
    'aria-label': 'input connectivity, 28 × 28',
  });
  const figure = (canvas: HTMLElement, caption: string) =>
    el('figure', {}, [canvas, el('figcaption', {}, [caption])]);
  const distances = el('p', { 'data-testid': 'distances' });
  const result = el('pre', { 'data-testid': 'result', 'data-state': 'idle', class: 'playground-json' });
  const sweepPlot = el('div', { class: 'playground-sweep' });
  const sweepResult = el('pre', {
    'data-testid': 'sweep-result',
    'data-state': 'idle',
    class: 'playground-json',
  });
  root.append(
    form,
    problems,
    el('p', {}, [progress, ' ', stage]),
    el('div', { class: 'playground-figures' }, [
      figure(maskCanvas, 'mask, canonical order (neurons ↓, inputs →)'),
      figure(limitCanvas, 'FSM-predicted limit'),
      figure(inputCanvas, 'input connectivity (kept fraction per pixel)'),
    ]),
    distances,
    result,
    sweepPlot,
    sweepResult,
  );

  const worker = new Worker(new URL('worker.js', base), { type: 'module' });
  let nextId = 1;
  /** The part of the progress bar the current run fills (a sweep gives each width its share). */
  let span = { from: 0, size: 1, label: '' };
  const pending = new Map<number, { resolve: (r: PlaygroundResult) => void; reject: (e: Error) => void }>();
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    if (reply.type === 'progress') {
      (progress as HTMLProgressElement).value = span.from + span.size * reply.done;
      stage.textContent = `${span.label}${reply.stage}`;
    } else {
      pending.delete(reply.id);
      if (reply.type === 'result') waiting.resolve(reply.result);
      else waiting.reject(new Error(reply.message));
    }
  };
  const compute = (settings: PlaygroundSettings) =>
    new Promise<PlaygroundResult>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, settings } satisfies RunRequest);
    });

  const readSettings = (): PlaygroundSettings | undefined => {
    const s: PlaygroundSettings = {
      criterion: (criterion as HTMLSelectElement).value as PlaygroundSettings['criterion'],
      width: Number((width as HTMLInputElement).value),
      density: Number((density as HTMLInputElement).value),
      seed: Number((seed as HTMLSelectElement).value),
      digits: Number((digits as HTMLSelectElement).value),
    };
    const found = settingsProblems(s);
    (width as HTMLInputElement).setCustomValidity(
      found.some((p) => p.startsWith('width')) ? 'out of range' : '',
    );
    (density as HTMLInputElement).setCustomValidity(
      found.some((p) => p.startsWith('density')) ? 'out of range' : '',
    );
    problems.textContent = found.length ? `Not run: ${found.join('; ')}.` : '';
    return found.length ? undefined : s;
  };
  const busy = (on: boolean) => {
    (run as HTMLButtonElement).disabled = on;
    (sweep as HTMLButtonElement).disabled = on;
  };
  const show = (r: PlaygroundResult) => {
    const { rowBlocks, colBlocks } = HEATMAP_BLOCKS;
    const max = Math.max(...r.heatmap, ...r.limit);
    drawHeatmap(maskCanvas, r.heatmap, rowBlocks, colBlocks, max);
    drawHeatmap(limitCanvas, r.limit, rowBlocks, colBlocks, max);
    drawHeatmap(inputCanvas, r.columnDensity, 28, 28, Math.max(...r.columnDensity));
    distances.textContent =
      `${r.criterion}, n = ${r.width}, p = ${r.requestedDensity}: kept ${r.kept} of ${r.total} weights; ` +
      `${r.activeInputs} of 784 inputs active; δ□(mask, p) ≤ ${fmt(r.toConstant.upperBound)} ` +
      `(≥ ${r.toConstant.alignedLowerBound.toFixed(4)} aligned); δ□(mask, limit) ≤ ${fmt(r.toLimit.upperBound)} ` +
      `(≥ ${r.toLimit.alignedLowerBound.toFixed(4)} aligned); ${(r.milliseconds / 1000).toFixed(1)} s.`;
  };
  const summary = (r: PlaygroundResult) => {
    const { heatmap: _h, limit: _l, columnDensity: _c, ...rest } = r;
    return rest;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = readSettings();
    if (!settings) return;
    busy(true);
    span = { from: 0, size: 1, label: '' };
    result.setAttribute('data-state', 'running');
    try {
      const r = await compute(settings);
      show(r);
      result.textContent = JSON.stringify(summary(r), null, 1);
      result.setAttribute('data-state', 'done');
      stage.textContent = 'done';
      (progress as HTMLProgressElement).value = 1;
    } catch (error) {
      result.textContent = JSON.stringify({ error: (error as Error).message });
      result.setAttribute('data-state', 'error');
      stage.textContent = `failed: ${(error as Error).message}`;
    } finally {
      busy(false);
    }
  });

  sweep.addEventListener('click', async () => {
    const settings = readSettings();
    if (!settings) return;
    busy(true);
    sweepResult.setAttribute('data-state', 'running');
    const points: SweepPoint[] = [];
    sweepPlot.innerHTML = sweepSvg(points);
    try {
      for (const [k, w] of SWEEP_WIDTHS.entries()) {
        span = { from: k / SWEEP_WIDTHS.length, size: 1 / SWEEP_WIDTHS.length, label: `n = ${w}: ` };
        const r = await compute({ ...settings, width: w });
        show(r);
        points.push({ width: w, toConstant: r.toConstant.upperBound, toLimit: r.toLimit.upperBound });
        sweepPlot.innerHTML = sweepSvg(points);
        sweepResult.textContent = JSON.stringify(points);
      }
      sweepResult.setAttribute('data-state', 'done');
      stage.textContent = 'sweep done';
      (progress as HTMLProgressElement).value = 1;
    } catch (error) {
      sweepResult.setAttribute('data-state', 'error');
      stage.textContent = `failed: ${(error as Error).message}`;
    } finally {
      busy(false);
    }
  });
}
