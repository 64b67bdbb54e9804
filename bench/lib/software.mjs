// What each peer said about itself: library versions, the BLAS it actually loaded,
// and the thread count that BLAS reported for each one asked of it.

/**
 * One Markdown bullet per peer that ran. `runsOf(peer)` lists its runs as
 * { threads, run }, where `threads` is the count the runner asked for.
 */
export function softwareLines(peers, runsOf) {
  const lines = [];
  for (const peer of peers) {
    const runs = runsOf(peer);
    if (runs.length === 0) continue;
    const { run } = runs[0];
    const versions = Object.entries(run.versions ?? {})
      .filter(([k]) => k !== 'executable')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const threadReport = [...new Set(runs.map(({ threads, run: r }) => `${threads}→${blasThreads(r) ?? '?'}`))].join(
      ', ',
    );
    const blas = blasDescription(run);
    lines.push(
      `- ${peer.label}: ${versions || 'n/a'}${blas ? `; BLAS: ${blas}; BLAS threads (asked→reported): ${threadReport}` : ''}`,
    );
  }
  return lines;
}

function blasThreads(run) {
  if (run.blas?.threads !== undefined) return run.blas.threads;
  const reported = (run.blasLibraries ?? []).map((l) => l.threads).filter((t) => t !== undefined && t !== null);
  return reported.length ? [...new Set(reported)].join('/') : undefined;
}

function blasDescription(run) {
  if (run.blas?.config) {
    const linkage = run.blas.linkage ? `, ${run.blas.linkage}` : '';
    return `${run.blas.config.replace(/\s+/g, ' ')} (core ${run.blas.corename}${linkage})`;
  }
  const libraries = (run.blasLibraries ?? []).filter((l) => l.config);
  if (libraries.length === 0) return run.blasLibraries ? 'none loaded' : undefined;
  const configs = [...new Set(libraries.map((l) => `${l.config.replace(/\s+/g, ' ')} (core ${l.corename})`))];
  return `${configs.join('; ')}, loaded from ${libraries.map((l) => l.path).join(', ')}`;
}
