"""Prints the MD5 hash-key vectors pinned in hash_key_test.cc: Kinesis reads MD5(partition key) as a big-endian
unsigned 128-bit integer. Run: python3 hash_key_vectors.py"""
import hashlib

KEYS = ["a", "0", "partition-key-1", "key-42", "\u00fcn\u00efc\u00f8d\u00e9", "\U0001F600 emoji", "x" * 256, ""]

for key in KEYS:
    print(f"{key.encode()!r}: {int(hashlib.md5(key.encode()).hexdigest(), 16)}")
