/** Live everywhere: what other processes write to the data folder, announced to this lab's clients. */
export { ExternalChanges, EXTERNAL_POLL_MS, type WatchedLists } from './external-changes';
