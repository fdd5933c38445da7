/**
 * Chart.js, tree-shaken to what the trends line chart uses. Imported only with a dynamic import()
 * from the trends chart, so the library is downloaded on /trends and nowhere else.
 */
import {
	CategoryScale,
	Chart,
	Filler,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Filler);

export { Chart };
