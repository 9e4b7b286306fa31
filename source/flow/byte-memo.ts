/** A small cache of encoded pieces, shared by the byte writers of --once (JSON and CSV). */

/**
 * Remembers the bytes made for each key of a few (a table has a handful of protocols, states
 * and status values); null when the key's text must go the string way.
 */
export function memo<K>(make: (key: K) => Uint8Array | null): (key: K) => Uint8Array | null {
	const made = new Map<K, Uint8Array | null>();
	return (key) => {
		let bytes = made.get(key);
		if (bytes === undefined) {
			bytes = make(key);
			if (made.size < 4096) made.set(key, bytes);
		}

		return bytes;
	};
}
