// ECharts, only the parts we draw with. Why ECharts over uPlot: it is heavier (~300 kB of a
// 1 MB library, in its own cached chunk), but it gives the bar + running-total-line combination,
// tooltips, and accessibility out of the box (an ARIA description of every chart, generated from
// its data, and decal patterns), where uPlot would need each written by hand.
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;

export { PALETTE } from './palette';
