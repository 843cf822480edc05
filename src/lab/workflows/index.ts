/** One-click "train small, test large" workflows. */
export { WorkflowService } from './workflow';
