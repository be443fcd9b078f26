/**
 * In-memory quota state for tools (`kss eval`, `kss test`, `kss bench`, conformance). The counting
 * itself is the store's MemoryCounts, so every quota store counts exactly alike.
 */
import { MemoryCounts } from '../store/quota.js';
import type { QuotaStore } from './types.js';

export class MemoryQuotaStore extends MemoryCounts implements QuotaStore {}
