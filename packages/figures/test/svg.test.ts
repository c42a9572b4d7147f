import { crispRectMarks } from '../src/internal/svg';

describe('crispRectMarks', () => {
  const rects =
    '<svg class="marks"><g class="mark-rect role-mark marks" role="graphics-object"><path d="M0,0h1v1h-1Z"/></g>' +
    '<g class="mark-rect role-mark concat_0_marks" role="graphics-object"><path d="M0,0h1v1h-1Z"/></g>' +
    '<g class="mark-line role-mark marks" role="graphics-object"><path d="M0,0L1,1"/></g>' +
    '<g class="mark-rect role-legend-gradient"><path d="M0,0h1v1h-1Z"/></g></svg>';

  it('marks every rect-mark group crisp and nothing else', () => {
    const out = crispRectMarks(rects);
    expect(out.match(/shape-rendering="crispEdges"/g)).toHaveLength(2);
    expect(out).toContain(
      '<g class="mark-rect role-mark marks" shape-rendering="crispEdges" role="graphics-object">',
    );
    expect(out).toContain('<g class="mark-rect role-mark concat_0_marks" shape-rendering="crispEdges" role=');
    expect(out).toContain('<g class="mark-line role-mark marks" role="graphics-object">');
    expect(out).toContain('<g class="mark-rect role-legend-gradient">');
  });

  it('is idempotent and leaves SVGs without rect marks unchanged', () => {
    const once = crispRectMarks(rects);
    expect(crispRectMarks(once)).toBe(once);
    const lines = '<svg><g class="mark-line role-mark marks"><path d="M0,0L1,1"/></g></svg>';
    expect(crispRectMarks(lines)).toBe(lines);
  });
});
