/**
 * Growable scratch buffers reused across calls (touching fresh memory is slow on these
 * machines). A slot is handed out to one caller at a time; callers never keep a slot across a call that
 * may use the same slot.
 */
const slots = new Map<string, Float64Array>();

/** A Float64Array of at least `length` elements for the named slot (contents unspecified). */
export function scratch64(slot: string, length: number): Float64Array {
  let buf = slots.get(slot);
  if (!buf || buf.length < length) {
    buf = new Float64Array(Math.max(length, buf ? Math.min(buf.length * 2, length * 2) : length));
    slots.set(slot, buf);
  }
  return buf;
}

const slots32 = new Map<string, Float32Array>();

/** A Float32Array of at least `length` elements for the named slot (contents unspecified). */
export function scratch32(slot: string, length: number): Float32Array {
  let buf = slots32.get(slot);
  if (!buf || buf.length < length) {
    buf = new Float32Array(Math.max(length, buf ? Math.min(buf.length * 2, length * 2) : length));
    slots32.set(slot, buf);
  }
  return buf;
}

/** Drops every cached buffer (for long-running processes that finished their big work). */
export function releaseScratch(): void {
  slots.clear();
  slots32.clear();
}
