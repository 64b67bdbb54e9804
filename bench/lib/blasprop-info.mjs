// What blasprop's addon says about the OpenBLAS it runs, for the peers' reports.

import { blasInfo } from '../../dist/index.js';

export function blaspropBlas() {
  const info = blasInfo();
  return {
    config: info.config,
    corename: info.corename,
    threads: info.threads,
    // A prebuilt binary links OpenBLAS statically; a local build uses the system's.
    linkage: `${info.linkage} (${info.binary} binary)`,
  };
}
