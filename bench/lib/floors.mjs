// The floor each row of a benchmark is measured against: the C loop over OpenBLAS in
// the row's own precision. A float32 step moves half the bytes of a float64 one and
// runs twice the flops per cycle, so a float32 row is held to the C loop built for
// float (lib/c/two_layer_step.h with -DBLASPROP_FLOAT32), a float64 row to the double
// one. The losses are still checked against the float64 loop's (lib/agreement.mjs).

/** The C loop peer of each precision. */
export const C_FLOORS = { f64: 'c-loop', f32: 'c-loop-f32' };

/** The id of the C loop `peer`'s ratios are against. */
export function floorOf(peer) {
  const floor = C_FLOORS[peer.precision];
  if (!floor) throw new Error(`peer ${peer.id} has no known precision (${peer.precision})`);
  return floor;
}

/** Whether `peerId` is one of the floors (its ratio to itself is 1 by definition). */
export function isFloor(peerId) {
  return Object.values(C_FLOORS).includes(peerId);
}

/**
 * The peers a run measures: those in `selected` (a Set of ids; every peer when
 * undefined), the float64 C loop, which every peer's losses are checked against, and
 * the floor of each selected peer's precision. An id no peer has is an error, not
 * a peer quietly left out.
 */
export function peersToRun(peers, selected) {
  if (!selected) return peers;
  const unknown = [...selected].filter((id) => !peers.some((p) => p.id === id));
  if (unknown.length)
    throw new Error(`unknown peer ${unknown.join(', ')} (expected ids from: ${peers.map((p) => p.id).join(', ')})`);
  const chosen = peers.filter((p) => selected.has(p.id));
  const needed = new Set([C_FLOORS.f64, ...chosen.map(floorOf)]);
  return peers.filter((p) => selected.has(p.id) || needed.has(p.id));
}
