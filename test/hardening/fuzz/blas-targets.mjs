// The BLAS fuzz targets: for each routine, valid calls against the reference, invalid
// calls against the expected error, junk calls, and raw-addon calls with wrong types.

import * as blasprop from '../../../dist/index.js';
import { loadBinding } from '../../../dist/native/binding.js';
import { arbInvalidCall, arbJunkCall, arbRawBindingCall, arbValidCall } from './blas-arbitraries.mjs';
import { checkInvalidCall, checkJunkCall, checkRawBindingCall, checkValidCall } from './blas-checks.mjs';
import { ROUTINE_NAMES } from './blas-routines.mjs';

/**
 * @param {{ native: object, reference: object }} [backends] the routines under test and the oracle
 * @returns {import('./run-targets.mjs').FuzzTarget[]}
 */
export function blasTargets(backends = { native: blasprop, reference: blasprop.reference }) {
  const binding = loadBinding().binding;
  return ROUTINE_NAMES.flatMap((routine) => [
    {
      name: `${routine} valid`,
      weight: 4,
      arbitrary: arbValidCall(routine),
      check: (c) => checkValidCall(c, backends),
    },
    {
      name: `${routine} invalid`,
      weight: 3,
      arbitrary: arbInvalidCall(routine),
      check: (c) => checkInvalidCall(c, backends),
    },
    { name: `${routine} junk`, weight: 2, arbitrary: arbJunkCall(routine), check: (c) => checkJunkCall(c, backends) },
    {
      name: `${routine} raw addon`,
      weight: 1,
      arbitrary: arbRawBindingCall(routine),
      check: (c) => checkRawBindingCall(c, binding),
    },
  ]);
}
