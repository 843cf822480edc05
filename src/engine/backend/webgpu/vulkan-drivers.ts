import { basename, dirname, join } from 'node:path';
import type { SystemProbes } from '../system-probes';

export interface VulkanDrivers {
  /** Driver manifests (ICD JSON files) the Vulkan loader would read. */
  manifests: string[];
  /** Where we looked, for the message. */
  searched: string[];
}

/**
 * The Vulkan drivers the loader would find on Linux, read the way the loader reads them: the
 * files in VK_DRIVER_FILES / VK_ICD_FILENAMES when set (they replace the search), plus
 * VK_ADD_DRIVER_FILES, else every *.json in the vulkan/icd.d folders under XDG_CONFIG_DIRS,
 * /etc, XDG_DATA_HOME and XDG_DATA_DIRS. With none, Dawn has nothing to open (and says so on
 * stderr), so the WebGPU rung is skipped without asking it.
 */
export function findVulkanDrivers(probes: SystemProbes): VulkanDrivers {
  const list = (name: string) => (probes.env(name) ?? '').split(':').filter(Boolean);
  const explicit = list('VK_DRIVER_FILES').length ? list('VK_DRIVER_FILES') : list('VK_ICD_FILENAMES');
  const added = list('VK_ADD_DRIVER_FILES');
  if (explicit.length) {
    return { manifests: [...explicit, ...added].flatMap((p) => listedManifests(probes, p)), searched: explicit };
  }
  const home = probes.env('HOME');
  const dataHome = probes.env('XDG_DATA_HOME') || (home ? join(home, '.local/share') : null);
  const configDirs = list('XDG_CONFIG_DIRS').length ? list('XDG_CONFIG_DIRS') : ['/etc/xdg'];
  const dataDirs = list('XDG_DATA_DIRS').length ? list('XDG_DATA_DIRS') : ['/usr/local/share', '/usr/share'];
  const folders = [...configDirs, '/etc', ...(dataHome ? [dataHome] : []), ...dataDirs].map((d) => join(d, 'vulkan/icd.d'));
  const manifests = [...added.flatMap((p) => listedManifests(probes, p)), ...folders.flatMap((f) => manifestsIn(probes, f))];
  return { manifests, searched: folders };
}

function manifestsIn(probes: SystemProbes, folder: string): string[] {
  return probes
    .listDir(folder)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(folder, f));
}

/** A path from an environment variable: a manifest file that exists, or a folder of them. */
function listedManifests(probes: SystemProbes, path: string): string[] {
  if (path.endsWith('.json')) return probes.listDir(dirname(path)).includes(basename(path)) ? [path] : [];
  return manifestsIn(probes, path);
}
