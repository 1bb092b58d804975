"""The Lua side of the shared index: reserving documents is filing them in their band tables, a batch
in one script (atomic in Redis), so the insert is the claim: of two workers adding copies at once, the
second one's script runs after the first's and finds it, and a document finds the earlier ones of its
own batch the same way.

A band table key (`b:<band, 2 hex digits>:<the value's top key_bits bits in hex>`) holds the documents
whose band value it names, as 6-byte records appended in arrival order: the value's low 16 bits and the
document's 4-byte sequence number. Records below the `floor` sequence number (documents that left the
window) form a prefix, cut off the next time the key is written. Documents live in hashes of 64 by
sequence number; ids map to sequence numbers in hashes by a hash of the id. Nothing read from these keys
is ever decoded as more than bytes.

The client names the batch's band tables (`reserve_args`, each once) so that the script reads them all
with one MGET: formatting names from numbers in Lua cost Redis more than the tables' bytes. It appends
the batch's records to each table (one APPEND), and rewrites a table whole (one MSET for all) only when
it is new or its expired prefix was cut: writing every table back whole made each reserve copy its
tables, a cost that grows with the index (twice the script's time at 1,500-byte tables, a million
articles, in a timing of the two write paths).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

DOCS_PER_HASH = 64
# Band numbers in two hex digits: the LSH bands and the exact hash's (`bands.index_bands`).
MAX_BAND = 0xFF
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# Keys per MGET/MSET from Lua: Lua 5.1's unpack() takes at most ~8,000 values.
CHUNK = 1000

# A document to reserve: its id, its id's hash bucket, its encoded entry, (band numbers, band values).
ReserveItem = tuple[str, int, bytes, tuple[np.ndarray, np.ndarray]]


def band_key_width(key_bits: int) -> int:
    """Characters of a band table name after `b:`: band, colon, the value's top `key_bits` bits."""
    return 3 + (key_bits + 3) // 4


def band_key_names(numbers: np.ndarray, top: np.ndarray, key_bits: int) -> bytes:
    """The band table names (after `b:`) of (band number, top `key_bits` bits of the value) pairs,
    `band_key_width` bytes each."""
    digits = (key_bits + 3) // 4
    columns = [_HEX[numbers >> 4], _HEX[numbers & 15], np.full(len(top), ord(":"), np.uint8)]
    columns += [_HEX[(top >> np.uint32(4 * (digits - 1 - i))) & 15] for i in range(digits)]
    return np.stack(columns, axis=1).tobytes()


def reserve_args(prefix: str, key_bits: int, items: Sequence[ReserveItem]) -> list[Any]:
    """RESERVE's ARGV for `items`, in order: the distinct band table names of the batch in one
    argument, and per document a (>I2 table number, low 16 bits of the value) pair for each band."""
    keys = [
        (numbers.astype(np.uint32) << np.uint32(key_bits)) | (values >> np.uint32(32 - key_bits))
        for _, _, _, (numbers, values) in items
    ]
    if any(len(numbers) and int(numbers.max()) > MAX_BAND for _, _, _, (numbers, _) in items):
        raise ValueError(f"band numbers above {MAX_BAND}: use fewer LSH bands for a shared index")
    tables, where = np.unique(np.concatenate(keys), return_inverse=True)
    if len(tables) > 0xFFFF:
        raise ValueError(
            f"{len(tables)} band tables in one batch, at most 65,535: reserve fewer documents at once"
        )
    names = band_key_names(tables >> np.uint32(key_bits), tables & np.uint32((1 << key_bits) - 1), key_bits)
    args: list[Any] = [prefix, band_key_width(key_bits), names]
    at = 0
    for (doc_id, bucket, encoded, (_, values)), own in zip(items, keys, strict=True):
        refs = np.empty(len(own), dtype=[("table", ">u2"), ("low", ">u2")])
        refs["table"], refs["low"] = where[at : at + len(own)] + 1, values & np.uint32(0xFFFF)
        at += len(own)
        args += [doc_id, bucket, encoded, refs.tobytes()]
    return args


# ARGV: prefix, band table name width, the batch's band table names (after `b:`, each once), then four
# per document: id, id hash bucket, encoded entry, its (>I2 table number from 1, 2-byte low value
# bits) pairs. Documents are reserved in order, so a later one finds an earlier one of the same call.
# Returns one array per document, {0} when its id is indexed already, else {its sequence number, the
# sequence numbers it met...}, then one array of (sequence number, encoded entry) of everything met.
RESERVE = """
local p, w, names = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local floor = tonumber(redis.call('GET', p .. 'floor') or '0')
local keys, held, added, rewrite = {}, {}, {}, {}
for at = 1, #names, w do keys[#keys + 1] = p .. 'b:' .. string.sub(names, at, at + w - 1) end
for first = 1, #keys, CHUNK do
  local part = redis.call('MGET', unpack(keys, first, math.min(first + CHUNK - 1, #keys)))
  for i = 1, #part do held[first + i - 1] = part[i] end
end
local out, met, wanted, reserved = {}, {}, {}, 0
local function scan(h, low, seen, found)
  local from = 1
  while true do
    local hit = string.find(h, low, from, true)
    if not hit then break end
    if hit % 6 == 1 then
      local other = struct.unpack('>I4', h, hit + 2)
      if not seen[other] then
        seen[other] = true
        found[#found + 1] = other
        if not wanted[other] then wanted[other] = true; met[#met + 1] = other end
      end
      from = hit + 6
    else
      from = hit + 1
    end
  end
end
for d = 4, #ARGV, 4 do
  local id, ids = ARGV[d], p .. 'i:' .. ARGV[d + 1]
  if redis.call('HEXISTS', ids, id) == 1 then
    out[#out + 1] = {0}
  else
    local seq = redis.call('INCR', p .. 'seq')
    reserved = reserved + 1
    redis.call('HSET', ids, id, seq)
    redis.call('HSET', p .. 'd:' .. math.floor(seq / PER_HASH), seq % PER_HASH, ARGV[d + 2])
    local ref = struct.pack('>I4', seq)
    local refs = ARGV[d + 3]
    local seen, found = {[seq] = true}, {seq}
    for at = 1, #refs, 4 do
      local k = struct.unpack('>I2', refs, at)
      local low = string.sub(refs, at + 2, at + 3)
      local h = held[k]
      if not h then
        rewrite[k] = true
      elseif #h >= 6 and struct.unpack('>I4', h, 3) < floor then
        local first, last = 0, #h / 6
        while first < last do
          local mid = math.floor((first + last) / 2)
          if struct.unpack('>I4', h, mid * 6 + 3) < floor then first = mid + 1 else last = mid end
        end
        h = string.sub(h, first * 6 + 1)
        held[k], rewrite[k] = h, true
      end
      if h then scan(h, low, seen, found) end
      local a = added[k]
      if a then scan(a, low, seen, found) end
      -- Only this call's records are concatenated: a table holding a million documents' records is
      -- appended to, never copied, so a reserve costs the same at any index size.
      added[k] = (a or '') .. low .. ref
    end
    out[#out + 1] = found
  end
end
for first = 1, #keys, CHUNK do
  local written = {}
  for i = first, math.min(first + CHUNK - 1, #keys) do
    if added[i] then
      if rewrite[i] then
        written[#written + 1] = keys[i]; written[#written + 1] = (held[i] or '') .. added[i]
      else
        redis.call('APPEND', keys[i], added[i])
      end
    end
  end
  if #written > 0 then redis.call('MSET', unpack(written)) end
end
local entries = {}
for _, n in ipairs(met) do
  entries[#entries + 1] = n
  entries[#entries + 1] = redis.call('HGET', p .. 'd:' .. math.floor(n / PER_HASH), n % PER_HASH) or ''
end
redis.call('INCRBY', p .. 'count', reserved)
out[#out + 1] = entries
return out
""".replace("PER_HASH", str(DOCS_PER_HASH)).replace("CHUNK", str(CHUNK))

# ARGV: prefix, then (id, id hash bucket) pairs. Returns per id: {encoded entry or '', placement or ''}.
FETCH = """
local p, out = ARGV[1], {}
for i = 2, #ARGV, 2 do
  local seq = redis.call('HGET', p .. 'i:' .. ARGV[i + 1], ARGV[i])
  if seq then
    local n = tonumber(seq)
    out[#out + 1] = redis.call('HGET', p .. 'd:' .. math.floor(n / PER_HASH), n % PER_HASH) or ''
    out[#out + 1] = redis.call('HGET', p .. 'p:' .. ARGV[i + 1], ARGV[i]) or ''
  else
    out[#out + 1] = ''
    out[#out + 1] = ''
  end
end
return out
""".replace("PER_HASH", str(DOCS_PER_HASH))

# ARGV: prefix, first sequence number, how many. Returns the encoded entries ('' where none).
OLDEST = """
local p, first, out = ARGV[1], tonumber(ARGV[2]), {}
for n = first, first + tonumber(ARGV[3]) - 1 do
  out[#out + 1] = redis.call('HGET', p .. 'd:' .. math.floor(n / PER_HASH), n % PER_HASH) or ''
end
return out
""".replace("PER_HASH", str(DOCS_PER_HASH))
