/** CSV, JSON, HTML report and model exports of runs and workflows; the staged writing other exports (models) share. */
export { ExportService } from './export';
export { abandonExport, commitExport, prepareExportDir, writeStagedFile } from './export-paths';
