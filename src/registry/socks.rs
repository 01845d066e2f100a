//! SOCKS5 reply codes (RFC 1928 section 6), named, for proxies' answers to CONNECT.

/// Reply codes other than 0 (succeeded), with their RFC 1928 meaning.
pub const REPLIES: [(u8, &str); 8] = [
    (1, "general SOCKS server failure"),
    (2, "connection not allowed by ruleset"),
    (3, "network unreachable"),
    (4, "host unreachable"),
    (5, "connection refused"),
    (6, "TTL expired"),
    (7, "command not supported"),
    (8, "address type not supported"),
];

/// Stands for a reply code RFC 1928 does not assign (the client library does not keep it).
pub const UNASSIGNED_REPLY: u8 = 0xFF;

/// The meaning of a SOCKS5 reply code.
pub fn reply_name(code: u8) -> &'static str {
    REPLIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("a reply code RFC 1928 does not assign", |(_, n)| n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_sorted_and_named() {
        assert!(super::REPLIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(super::reply_name(2), "connection not allowed by ruleset");
        assert!(super::reply_name(0x42).contains("does not assign"));
    }
}
