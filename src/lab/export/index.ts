/** CSV, JSON, HTML report and model exports of runs and workflows. */
export { ExportService } from './export';
