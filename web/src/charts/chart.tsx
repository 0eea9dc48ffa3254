// One chart: an ECharts instance on an SVG renderer, resized with its box, disposed on unmount.
// `label` names the chart for assistive technology; ECharts adds a description of its data.
// Charts are first drawn one per task (inTurn), so a page of them never stalls the main thread.
import { useEffect, useRef } from 'preact/hooks';
import { echarts, type ChartOption } from './echarts';

/**
 * The first drawing of each chart, one chart per task: the dashboard's charts drawn in one go made
 * a single main-thread stall of several hundred milliseconds (issue 13: none over 200 ms).
 */
let turn: Promise<void> = Promise.resolve();
function inTurn(draw: () => void): void {
  turn = turn.then(
    () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          try {
            draw();
          } finally {
            resolve();
          }
        }, 0),
      ),
  );
}

export function Chart({
  option,
  label,
  height = 260,
  onClickIndex,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  onClickIndex?: (index: number) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const click = useRef(onClickIndex);
  click.current = onClickIndex;
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let live = true;
    let dispose = () => {};
    inTurn(() => {
      // Drawn in a later task: the page may have moved on, and echarts throws on a missing box.
      const el = box.current;
      if (!live || !el || !el.isConnected) return;
      const instance = echarts.init(el, null, { renderer: 'svg' });
      chart.current = instance;
      instance.on('click', (params) => {
        const p = params as { dataIndex?: number };
        if (typeof p.dataIndex === 'number') click.current?.(p.dataIndex);
      });
      instance.setOption({ aria: { enabled: true }, ...latest.current }, { notMerge: true });
      const resize = new ResizeObserver(() => instance.resize());
      resize.observe(el);
      dispose = () => {
        resize.disconnect();
        instance.dispose();
        chart.current = null;
      };
    });
    return () => {
      live = false;
      dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option }, { notMerge: true });
  }, [option]);

  return (
    <figure class="chart-figure" aria-label={label}>
      <div class="chart" ref={box} style={{ height: `${height}px` }} />
    </figure>
  );
}
