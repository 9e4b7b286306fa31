/** Growing the model's typed arrays, which are sized by slot. */

/** Any typed array the model keeps by slot. */
export type SlotArray =
	Float64Array | Uint32Array | Int32Array | Uint16Array | Int16Array | Uint8Array;

/** A new array of the same kind with `length` elements, holding `array`'s first ones. */
export function grown<T extends SlotArray>(array: T, length: number): T {
	const next = new (array.constructor as new (length: number) => T)(length);
	next.set(array.subarray(0, Math.min(array.length, length)));
	return next;
}
