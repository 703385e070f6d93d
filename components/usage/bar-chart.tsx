// A small server-rendered SVG bar chart (no client JavaScript); the page always shows a table beside it.
export function BarChart({ title, description, bars, unit }: { title: string; description: string; bars: Array<{ label: string; value: number }>; unit: string }) {
  const width = 720;
  const height = 200;
  const pad = { left: 48, bottom: 24, top: 8 };
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const innerW = width - pad.left;
  const innerH = height - pad.bottom - pad.top;
  const bw = bars.length ? innerW / bars.length : innerW;
  const id = `chart-${title.replace(/\W+/g, "-").toLowerCase()}`;
  const step = Math.max(1, Math.ceil(bars.length / 8));
  return (
    <figure className="w-full">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="h-auto w-full">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line x1={pad.left} x2={width} y1={pad.top + innerH} y2={pad.top + innerH} className="stroke-slate-400" />
        <text x={pad.left - 6} y={pad.top + 10} textAnchor="end" className="fill-slate-600 text-[10px] dark:fill-slate-300">
          {max.toFixed(max < 10 ? 2 : 0)} {unit}
        </text>
        <text x={pad.left - 6} y={pad.top + innerH} textAnchor="end" className="fill-slate-600 text-[10px] dark:fill-slate-300">
          0
        </text>
        {bars.map((b, i) => {
          const h = (b.value / max) * innerH;
          return (
            <g key={b.label}>
              <rect x={pad.left + i * bw + bw * 0.1} y={pad.top + innerH - h} width={Math.max(1, bw * 0.8)} height={h} className="fill-brand-600 dark:fill-sky-400" />
              {i % step === 0 ? (
                <text x={pad.left + i * bw + bw / 2} y={height - 6} textAnchor="middle" className="fill-slate-600 text-[10px] dark:fill-slate-300">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="sr-only">{description}</figcaption>
    </figure>
  );
}
