/** Web mode's folder browser: the server's folders inside the allowed roots. */
export { browseRoots, listFolder, MAX_FOLDER_ENTRIES } from './folder-browser';
