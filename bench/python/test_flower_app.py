"""Unit tests of the flower-deployed bench's Flower App helpers: bench/.venv/bin/python -m unittest discover -s bench/python"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "flower_app"))

from fedledger_flower.loopback import parse_loopback_bytes  # noqa: E402

PROC_NET_DEV = """Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
  eth0: 9876543   1200    0    0    0     0          0         0  123456     900    0    0    0     0       0          0
    lo: 4521987    3210    0    0    0     0          0         0 4521987    3210    0    0    0     0       0          0
"""


class LoopbackTest(unittest.TestCase):
    def test_reads_the_received_bytes_of_lo(self):
        self.assertEqual(parse_loopback_bytes(PROC_NET_DEV), 4521987)

    def test_rejects_text_without_lo(self):
        with self.assertRaises(ValueError):
            parse_loopback_bytes("  eth0: 1 2 3\n")


if __name__ == "__main__":
    unittest.main()
