/**
 * Reverse DNS with a cache, for the `n` key: lookups run in the background and the UI asks
 * again on its next frame, so a slow resolver never stalls the screen.
 */
import {Resolver} from 'node:dns/promises';

/** Cached PTR lookups; bounded in size and in concurrent queries. */
export class ReverseDns {
	private readonly names = new Map<string, string | null>();
	private readonly pending = new Set<string>();
	private readonly resolver = new Resolver({timeout: 2000, tries: 1});

	constructor(
		private readonly maxEntries = 10_000,
		private readonly maxPending = 16,
	) {}

	/** The name of `address` if known; undefined while unknown (a lookup is started) or unnamed. */
	name(address: string): string | undefined {
		const cached = this.names.get(address);
		if (cached !== undefined) return cached ?? undefined;
		if (!this.pending.has(address) && this.pending.size < this.maxPending)
			void this.lookup(address);
		return undefined;
	}

	private async lookup(address: string): Promise<void> {
		this.pending.add(address);
		let name: string | null = null;
		try {
			const names = await this.resolver.reverse(address);
			name = names[0] ?? null;
		} catch {
			// No PTR record, or no resolver reachable: remember that, show the address.
		}

		this.pending.delete(address);
		if (this.names.size >= this.maxEntries) this.names.delete(this.names.keys().next().value!);
		this.names.set(address, name);
	}
}
