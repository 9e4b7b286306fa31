/**
 * A flow as the table keeps it: one small object per flow for the flow's whole life, holding
 * what is not a number (the protocol, state, helper and labels: shared strings and arrays);
 * every number, the tuples included, lives in the store's `FlowColumns` and is read through a
 * getter, so the object is a `Flow` to the model's code. Reading a tuple builds an object:
 * code that runs over every row reads the columns instead.
 * Merging a message changes it in place: a re-dump then leaves its freshly decoded flows as
 * young garbage instead of keeping them and leaving the old ones to a full collection.
 *
 * It never leaves the model: a query's rows carry `toFlow()`'s plain copy, which the UI may
 * keep, spread or serialise (getters are not own properties).
 */
import type {Family, Flow, NatKind, Tuple} from '../flow/types.js';
import {flowChange, type FlowColumns} from './flow-columns.js';

export {flowChange} from './flow-columns.js';

function sameLabels(a: readonly number[] | undefined, b: readonly number[]): boolean {
	if (a === b) return true;
	if (a === undefined || a.length !== b.length) return false;
	return a.every((label, i) => label === b[i]);
}

/** The flow in one slot of a store. */
export class StoredFlow implements Flow {
	readonly proto: string;
	state: string | null | undefined;
	helper: string | undefined;
	labels: readonly number[] | undefined;

	/** Stores `flow` in `slot` of `columns`. */
	constructor(
		private readonly columns: FlowColumns,
		private readonly slot: number,
		flow: Flow,
	) {
		this.proto = flow.proto;
		this.state = flow.state;
		this.helper = flow.helper;
		this.labels = flow.labels;
		columns.write(slot, flow);
	}

	get id(): number {
		return this.columns.id[this.slot];
	}

	get family(): Family {
		return this.columns.family(this.slot);
	}

	get protonum(): number {
		return this.columns.protonum[this.slot];
	}

	get original(): Tuple {
		return this.columns.original.read(this.slot);
	}

	get reply(): Tuple {
		return this.columns.reply.read(this.slot);
	}

	get status(): number | undefined {
		return this.columns.optionalStatus(this.slot);
	}

	get timeout(): number | undefined {
		return this.columns.optionalTimeout(this.slot);
	}

	get mark(): number | undefined {
		return this.columns.optionalMark(this.slot);
	}

	get use(): number | undefined {
		return this.columns.optionalUse(this.slot);
	}

	get zone(): number {
		return this.columns.zone[this.slot];
	}

	get counters(): Flow['counters'] {
		return this.columns.countersOf(this.slot);
	}

	get start(): number | undefined {
		return this.columns.optionalTime(this.columns.start, this.slot);
	}

	get stop(): number | undefined {
		return this.columns.optionalTime(this.columns.stop, this.slot);
	}

	get nat(): NatKind | undefined {
		return this.columns.natKind(this.slot);
	}

	/**
	 * Takes every field `incoming` (a message about this flow) defines with a different value; a
	 * field it leaves undefined keeps the stored value (`null` is a value: a state-less
	 * protocol). Identity fields are not read. Returns the `flowChange` bits of what changed.
	 */
	merge(incoming: Flow): number {
		let changed = this.columns.merge(this.slot, incoming);
		if (incoming.state !== undefined && incoming.state !== this.state) {
			this.state = incoming.state;
			changed |= flowChange.state;
		}

		if (incoming.helper !== undefined && incoming.helper !== this.helper) {
			this.helper = incoming.helper;
			changed |= flowChange.helper;
		}

		if (incoming.labels !== undefined && !sameLabels(this.labels, incoming.labels)) {
			this.labels = incoming.labels;
			changed |= flowChange.other;
		}

		return changed;
	}

	/** A plain `Flow` with this flow's values now: every field in one literal, own properties. */
	toFlow(): Flow {
		return {
			id: this.id,
			family: this.family,
			protonum: this.protonum,
			proto: this.proto,
			original: this.original,
			reply: this.reply,
			status: this.status,
			state: this.state,
			timeout: this.timeout,
			mark: this.mark,
			use: this.use,
			zone: this.zone,
			counters: this.counters,
			start: this.start,
			stop: this.stop,
			helper: this.helper,
			labels: this.labels,
			nat: this.nat,
		};
	}
}
