/** Answered and missed calls per hour or day as uPlot bars-as-lines (loaded lazily: uPlot stays out of the first JS). */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Props of {@link CountsChart}. */
export interface CountsChartProps {
  /** Bucket starts, epoch seconds. */
  xs: number[];
  answered: number[];
  missed: number[];
  /** Series names. */
  names: { answered: string; missed: string };
  /** Accessible name. */
  label: string;
  /** The text alternative. */
  summary: string;
}

/** The chart. */
export default function CountsChart({ xs, answered, missed, names, label, summary }: CountsChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth);
    const u = new uPlot(
      {
        width: width(),
        height: 220,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
        axes: [{ stroke: '#333' }, { stroke: '#333', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
        series: [
          {},
          { label: names.answered, stroke: '#1a7f37', fill: 'rgba(26,127,55,0.12)', width: 2 },
          { label: names.missed, stroke: '#b42318', width: 2, dash: [6, 3] },
        ],
      },
      [xs, answered, missed],
      el,
    );
    const ro = new ResizeObserver(() => u.setSize({ width: width(), height: 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [xs, answered, missed, names]);
  return (
    <figure className="chart">
      <div ref={box} role="img" aria-label={label} />
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
