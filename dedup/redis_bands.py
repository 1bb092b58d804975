"""The Lua side of the shared index: reserving documents is filing them in their band tables, a batch
in one script (atomic in Redis), so the insert is the claim: of two workers adding copies at once, the
second one's script runs after the first's and finds it, and a document finds the earlier ones of its
own batch the same way.

A band table key holds the documents whose band value shares its top `key_bits` bits, as 6-byte
records appended in arrival order: the value's low 16 bits and the document's 4-byte sequence number.
Records below the `floor` sequence number (documents that left the window) form a prefix, cut off the
next time the key is written. Documents live in hashes of 64 by sequence number; ids map to sequence
numbers in hashes by a hash of the id. Nothing read from these keys is ever decoded as more than bytes.
"""

from __future__ import annotations

DOCS_PER_HASH = 64

# ARGV: prefix, key bits, then four per document: id, id hash bucket, encoded entry, packed (>I2 band,
# >I4 value) pairs. Documents are reserved in order, so a later one finds an earlier one of the same call.
# Returns one array per document, {0} when its id is indexed already, else {its sequence number, the
# sequence numbers it met...}, then one array of (sequence number, encoded entry) of everything met.
RESERVE = """
local p = ARGV[1]
local split = 2 ^ (32 - tonumber(ARGV[2]))
local floor = tonumber(redis.call('GET', p .. 'floor') or '0')
local out, met, wanted, reserved = {}, {}, {}, 0
for d = 3, #ARGV, 4 do
  local id, ids = ARGV[d], p .. 'i:' .. ARGV[d + 1]
  if redis.call('HEXISTS', ids, id) == 1 then
    out[#out + 1] = {0}
  else
    local seq = redis.call('INCR', p .. 'seq')
    reserved = reserved + 1
    redis.call('HSET', ids, id, seq)
    redis.call('HSET', p .. 'd:' .. math.floor(seq / PER_HASH), seq % PER_HASH, ARGV[d + 2])
    local ref = struct.pack('>I4', seq)
    local bands = ARGV[d + 3]
    local seen, found = {[seq] = true}, {seq}
    for at = 1, #bands, 6 do
      local band, value = struct.unpack('>I2>I4', bands, at)
      local key = p .. 'b:' .. band .. ':' .. math.floor(value / split)
      local low = struct.pack('>I2', value % 65536)
      local held = redis.call('GET', key)
      if not held then
        redis.call('SET', key, low .. ref)
      else
        if struct.unpack('>I4', held, 3) < floor then
          local first, last = 0, #held / 6
          while first < last do
            local mid = math.floor((first + last) / 2)
            if struct.unpack('>I4', held, mid * 6 + 3) < floor then first = mid + 1 else last = mid end
          end
          held = string.sub(held, first * 6 + 1)
          redis.call('SET', key, held .. low .. ref)
        else
          redis.call('APPEND', key, low .. ref)
        end
        local from = 1
        while true do
          local hit = string.find(held, low, from, true)
          if not hit then break end
          if hit % 6 == 1 then
            local other = struct.unpack('>I4', held, hit + 2)
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
    end
    out[#out + 1] = found
  end
end
local entries = {}
for _, n in ipairs(met) do
  entries[#entries + 1] = n
  entries[#entries + 1] = redis.call('HGET', p .. 'd:' .. math.floor(n / PER_HASH), n % PER_HASH) or ''
end
redis.call('INCRBY', p .. 'count', reserved)
out[#out + 1] = entries
return out
""".replace("PER_HASH", str(DOCS_PER_HASH))

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
