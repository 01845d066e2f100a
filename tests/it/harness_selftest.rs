//! Self-tests of the harness: each server kind starts and a real client completes the expected
//! handshake; each hostile scenario behaves as named when a raw socket sends a ClientHello.
