/**
 * Chart.js, tree-shaken to what the trends line chart draws: lines with points on a category x axis
 * and a linear y axis, and the tooltip. No legend (the chart's own list), no area fill (no dataset
 * sets `fill`), no other chart types, scales or plugins. Imported only with a dynamic import() from
 * the trends chart, so the library is downloaded on /trends and nowhere else (the SVG charts of the
 * other pages draw without it).
 */
import { CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip);

export { Chart };
