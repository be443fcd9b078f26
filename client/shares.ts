/**
 * The file key as Shamir shares (the audited `shamir-secret-sharing` library), each sealed with
 * HPKE to its holder.
 *
 * Layout for a profile of W workstations and threshold M (2 <= M <= W + 1): the file key K is
 * split 2 of 2 into X and Y. X is the keyserver's share (sealed under `shardAad`, which the
 * keyserver rebuilds from the request, so it is the same for every version). Y is split M-1 of W
 * among the workstations (for M = 2 each workstation holds Y itself), each sealed under
 * `deviceShardAad` naming that device. So K needs the keyserver's share and M-1 workstations:
 * all W workstations together still cannot open a file without the keyserver's approval, and
 * with one workstation (M = 2) the layout is exactly the 2-of-2 of version 1 files.
 */
import { combine, split } from 'shamir-secret-sharing';
import { openWith, sealTo } from '../protocol/hpke.js';
import { deviceShardAad, shardAad, type ShardBinding } from '../protocol/messages.js';
import type { Share } from './file-format.js';

export interface Holder {
  id: string;
  /** Raw X25519 public key, base64. */
  encryptionKey: string;
}

const u8 = (b: Uint8Array) => new Uint8Array(b); // The library checks for a plain Uint8Array (a Buffer is refused).

/** One share for the keyserver and one per device; any `threshold` - 1 devices with the keyserver rebuild `key`. */
export async function splitAndSeal(key: Uint8Array, keyserver: Holder, devices: Holder[], threshold: number, binding: ShardBinding): Promise<Share[]> {
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > devices.length + 1) throw new RangeError(`the threshold must be from 2 to ${devices.length + 1}`);
  const [x, y] = await split(u8(key), 2, 2);
  const parts = threshold === 2 ? devices.map(() => y!) : await split(y!, devices.length, threshold - 1);
  const ks: Share = { holder: 'keyserver', id: keyserver.id, sealed: await sealTo(Buffer.from(keyserver.encryptionKey, 'base64'), x!, shardAad(binding)) };
  const own = await Promise.all(devices.map(async (d, i): Promise<Share> => ({
    holder: 'device', id: d.id, sealed: await sealTo(Buffer.from(d.encryptionKey, 'base64'), parts[i]!, deviceShardAad(binding, d.id)),
  })));
  return [ks, ...own];
}

/** Opens a device's share; `version` 1 files sealed it under the file's binding alone. */
export async function openDeviceShare(share: Share, privateKeyB64: string, binding: ShardBinding, version: number): Promise<Uint8Array> {
  const aad = version === 1 ? shardAad(binding) : deviceShardAad(binding, share.id);
  return openWith(Buffer.from(privateKeyB64, 'base64'), share.sealed, aad);
}

/** The file key from the keyserver's share and `threshold` - 1 device shares. */
export async function combineShares(keyserverPart: Uint8Array, deviceParts: Uint8Array[], threshold: number): Promise<Uint8Array> {
  if (deviceParts.length < threshold - 1) throw new RangeError(`${threshold - 1} device shares are needed`);
  const y = threshold === 2 ? deviceParts[0]! : await combine(deviceParts.slice(0, threshold - 1).map(u8));
  return combine([u8(keyserverPart), u8(y)]);
}
