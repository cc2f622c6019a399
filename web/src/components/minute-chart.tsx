/** A uPlot bar-like line of counts per minute over the last hour, with a text summary for screen readers. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Props of {@link MinuteChart}. */
export interface MinuteChartProps {
  /** epoch minute → count. */
  counts: ReadonlyMap<number, number>;
  /** Accessible name. */
  label: string;
  /** Series name. */
  series: string;
  /** The text alternative (totals). */
  summary: string;
}

function dataOf(counts: ReadonlyMap<number, number>): uPlot.AlignedData {
  const nowMin = Math.floor(Date.now() / 60000);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let m = nowMin - 59; m <= nowMin; m++) {
    xs.push(m * 60);
    ys.push(counts.get(m) ?? 0);
  }
  return [xs, ys];
}

/** The chart. */
export function MinuteChart({ counts, label, series, summary }: MinuteChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth);
    const u = new uPlot(
      {
        width: width(),
        height: 180,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
        axes: [{ stroke: '#333' }, { stroke: '#333', incrs: [1, 2, 5, 10, 20, 50, 100] }],
        series: [{}, { label: series, stroke: '#0b5cad', fill: 'rgba(11,92,173,0.15)', width: 2 }],
      },
      dataOf(new Map()),
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: width(), height: 180 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [series]);
  useEffect(() => {
    plot.current?.setData(dataOf(counts));
  }, [counts]);
  return (
    <figure className="chart">
      <div ref={box} role="img" aria-label={label} />
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
