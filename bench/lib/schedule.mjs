// The order in which measurements run. Within a round, every configuration runs all
// of its peers back to back, so peers being compared share the same moment of the
// machine's load; from round to round the peer order rotates, so no peer is always
// the first one after a cold start or always follows the same neighbour.

/**
 * Yields { round, config, peer } for `rounds` rounds over `configs`, where
 * `peersOf(config)` lists the peers measured at that configuration.
 */
export function* interleaved(configs, peersOf, rounds) {
  for (let round = 0; round < rounds; round++) {
    for (const config of configs) {
      const peers = peersOf(config);
      for (let i = 0; i < peers.length; i++) {
        yield { round, config, peer: peers[(i + round) % peers.length] };
      }
    }
  }
}
