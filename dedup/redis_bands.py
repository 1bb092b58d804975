"""The compact shared LSH: band values as fixed-width integers in small Redis hashes, read and written
in the same Lua call that reserves a document, so the insert is the claim.

A band value (32 bits) splits into a key part (the band and the value's high `key_bits`) and a field
(the low bits, fixed width); the field holds the 4-byte sequence numbers of the documents in that
bucket. Hashes of up to `hash-max-listpack-entries` fields stay listpacks (about 11 bytes a field), so
a document costs ~64 × 11 bytes of band table instead of 64 Redis keys. Sequence numbers map back to
ids through hashes of 128. Nothing read from these keys is ever decoded as more than bytes.
"""

from __future__ import annotations

import numpy as np
import xxhash

# 2^14 hashes per band: at 1M documents ~61 fields each, within Redis's default listpack limit (128).
# A window of N documents wants N / 2^key_bits ≤ hash-max-listpack-entries.
DEFAULT_KEY_BITS = 14
IDS_PER_HASH = 128

# Reserve the document (as RedisState's script), put its sequence number in each of its band buckets,
# and return the exact-hash twin and the ids already in those buckets: of two workers adding copies at
# once, the second one's script runs after the first's and sees it.
RESERVE = """
local p, id = ARGV[1], ARGV[2]
if redis.call('EXISTS', p .. 'doc:' .. id) == 1 then return false end
local seq = redis.call('INCR', p .. 'seq')
local ref = struct.pack('>I4', seq % 4294967296)
redis.call('HSET', p .. 'doc:' .. id, 'seq', seq, 'shingles', ARGV[3], 'numbers', ARGV[4], 'exact', ARGV[5],
  'pub', ARGV[6], 'agency', ARGV[7], 'time', ARGV[8], 'place', ARGV[9], 'title', ARGV[10], 'bands', ARGV[11])
redis.call('HSET', p .. 'id:' .. math.floor(seq / %(per_hash)d), ref, id)
redis.call('HSET', p .. 'mem:' .. id, id, '1')
redis.call('ZADD', p .. 'timeline', ARGV[8], id)
local out = {''}
if ARGV[5] ~= '' then
  local existing = redis.call('GET', p .. 'exact:' .. ARGV[5])
  if existing then out[1] = existing else redis.call('SET', p .. 'exact:' .. ARGV[5], id) end
end
local seen, refs = {[ref] = true}, {}
for i, key in ipairs(KEYS) do
  local field = ARGV[11 + i]
  local held = redis.call('HGET', key, field)
  if held then
    for j = 1, #held - 3, 4 do
      local other = string.sub(held, j, j + 3)
      if not seen[other] then seen[other] = true; refs[#refs + 1] = other end
    end
    redis.call('HSET', key, field, held .. ref)
  else
    redis.call('HSET', key, field, ref)
  end
end
for _, other in ipairs(refs) do
  local n = struct.unpack('>I4', other)
  local found = redis.call('HGET', p .. 'id:' .. math.floor(n / %(per_hash)d), other)
  if found then out[#out + 1] = found end
end
return out
""".replace("%(per_hash)d", str(IDS_PER_HASH))

# Take an evicted document's sequence number out of its buckets (ARGV: prefix, seq, fields).
REMOVE = """
local p, seq = ARGV[1], tonumber(ARGV[2])
local ref = struct.pack('>I4', seq % 4294967296)
for i, key in ipairs(KEYS) do
  local field = ARGV[2 + i]
  local held = redis.call('HGET', key, field)
  if held then
    local kept = {}
    for j = 1, #held - 3, 4 do
      local other = string.sub(held, j, j + 3)
      if other ~= ref then kept[#kept + 1] = other end
    end
    if #kept == 0 then redis.call('HDEL', key, field) else redis.call('HSET', key, field, table.concat(kept)) end
  end
end
redis.call('HDEL', p .. 'id:' .. math.floor(seq / %(per_hash)d), ref)
return 1
""".replace("%(per_hash)d", str(IDS_PER_HASH))


def band_values(hashvalues: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 32-bit value per band: the MinHash value itself for one-row bands, else xxh32 of the rows."""
    values = hashvalues.astype(np.uint64)
    if rows == 1:
        return (values[:bands] & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    raw = values[: bands * rows].astype("<u8").reshape(bands, rows)
    return np.array([xxhash.xxh32_intdigest(row.tobytes()) for row in raw], dtype=np.uint32)


def band_slots(prefix: str, values: np.ndarray, key_bits: int) -> tuple[list[str], list[bytes]]:
    """The hash key and the fixed-width field of each band value."""
    low_bits = 32 - key_bits
    width = (low_bits + 7) // 8
    mask = (1 << low_bits) - 1
    keys, fields = [], []
    for band, value in enumerate(values.tolist()):
        keys.append(f"{prefix}band:{band}:{value >> low_bits}")
        fields.append((value & mask).to_bytes(width, "big"))
    return keys, fields


def pack_bands(values: np.ndarray) -> bytes:
    return values.astype(">u4").tobytes()


def unpack_bands(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=">u4").astype(np.uint32)
