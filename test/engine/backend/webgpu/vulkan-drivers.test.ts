import { describe, expect, it } from 'vitest';
import { findVulkanDrivers } from '../../../../src/engine/backend/webgpu/vulkan-drivers';
import { fakeProbes } from '../fake-probes';

describe('Vulkan drivers, found where the Vulkan loader looks', () => {
  it('reads every *.json in the icd.d folders of the default XDG dirs and /etc', () => {
    const drivers = findVulkanDrivers(
      fakeProbes({
        env: { HOME: '/home/u' },
        dirs: { '/usr/share/vulkan/icd.d': ['nvidia_icd.json', 'README'], '/etc/vulkan/icd.d': ['radeon_icd.x86_64.json'] },
      }),
    );
    expect(drivers.manifests).toEqual(['/etc/vulkan/icd.d/radeon_icd.x86_64.json', '/usr/share/vulkan/icd.d/nvidia_icd.json']);
  });

  it('uses only VK_ICD_FILENAMES when it is set, and only files that exist', () => {
    const probes = fakeProbes({
      env: { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json:/gone/icd.json' },
      dirs: { '/usr/lib/chromium': ['vk_swiftshader_icd.json'], '/usr/share/vulkan/icd.d': ['nvidia_icd.json'] },
    });
    expect(findVulkanDrivers(probes)).toEqual({
      manifests: ['/usr/lib/chromium/vk_swiftshader_icd.json'],
      searched: ['/usr/lib/chromium/vk_swiftshader_icd.json', '/gone/icd.json'],
    });
  });

  it('prefers VK_DRIVER_FILES to VK_ICD_FILENAMES, takes folders there, and adds VK_ADD_DRIVER_FILES', () => {
    const probes = fakeProbes({
      env: { VK_DRIVER_FILES: '/opt/icds', VK_ICD_FILENAMES: '/old/icd.json', VK_ADD_DRIVER_FILES: '/extra/x.json' },
      dirs: { '/opt/icds': ['a.json'], '/old': ['icd.json'], '/extra': ['x.json'] },
    });
    expect(findVulkanDrivers(probes).manifests).toEqual(['/opt/icds/a.json', '/extra/x.json']);
  });

  it('finds nothing in empty icd.d folders (Debian without a Vulkan driver)', () => {
    const drivers = findVulkanDrivers(fakeProbes({ dirs: { '/etc/vulkan/icd.d': [], '/etc/vulkan': ['icd.d'] } }));
    expect(drivers.manifests).toEqual([]);
    expect(drivers.searched).toContain('/usr/share/vulkan/icd.d');
  });
});
