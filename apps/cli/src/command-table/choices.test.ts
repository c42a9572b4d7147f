import * as nets from '@graphon-pai/nets';
import { ACTIVATIONS, INIT_KINDS, LOSSES } from './choices';

describe('help-time choice lists', () => {
  it('equal the lists @graphon-pai/nets validates against', () => {
    expect([...ACTIVATIONS]).toEqual([...nets.ACTIVATIONS]);
    expect([...INIT_KINDS]).toEqual([...nets.INIT_KINDS]);
    expect([...LOSSES]).toEqual([...nets.LOSSES]);
  });
});
