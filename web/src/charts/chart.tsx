// One chart: an ECharts instance on an SVG renderer, resized with its box, disposed on unmount.
// `label` names the chart for assistive technology; ECharts adds a description of its data.
import { useEffect, useRef } from 'preact/hooks';
import { echarts, type ChartOption } from './echarts';

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

  useEffect(() => {
    const el = box.current!;
    const instance = echarts.init(el, null, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (params) => {
      const p = params as { dataIndex?: number };
      if (typeof p.dataIndex === 'number') click.current?.(p.dataIndex);
    });
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
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
