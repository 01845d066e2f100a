//! What a Windows client offers for a given registry state: the one evaluation behind
//! `simulate --client win2012r2+dotnet`, `simulate --registry FILE --os NAME` and
//! `registry --os NAME`.
//!
//! The rules (each fact is a column of an `[[os]]` row of `data/clients.toml`):
//! - a version is *supported* when the OS's Schannel implements it, or the OS's update adds it
//!   and the update is installed;
//! - it is *enabled* unless `Protocols\<version>\Client\Enabled` is 0;
//! - it is *on by default* when enabled and `DisabledByDefault` is 0 — or absent and the OS has
//!   it on by default. An SChannel application that asks for the system default gets these;
//! - WinHTTP, where the OS needs the update for it, offers its legacy default until the update
//!   is installed and `DefaultSecureProtocols` set; that value's bits (explicit, so
//!   `DisabledByDefault` does not apply, `Enabled = 0` does) otherwise; newer OSs follow the
//!   system default when the value is absent;
//! - a .NET 4.x application built for 4.5.x follows the system default with
//!   `SystemDefaultTlsVersions = 1`, asks for TLS 1.0–1.2 explicitly with
//!   `SchUseStrongCrypto = 1`, and for the OS's legacy .NET versions otherwise.

use std::collections::BTreeMap;

use super::{Clients, HelloSpec, OsRow, clients};
use crate::registry::ProtocolVersion as V;

/// Modifiers of a profile name, in canonical order.
pub const MODIFIERS: &[&str] = &["kb", "tls12", "dotnet", "strongcrypto", "fixed"];

/// `DefaultSecureProtocols` bits (KB3140245; TLS 1.3's bit from newer builds).
pub const WINHTTP_BITS: &[(V, u32)] = &[
    (V::Ssl2, 0x008),
    (V::Ssl3, 0x020),
    (V::Tls10, 0x080),
    (V::Tls11, 0x200),
    (V::Tls12, 0x800),
    (V::Tls13, 0x2000),
];

/// The value the article's fix writes to `DefaultSecureProtocols` (TLS 1.1 + TLS 1.2).
pub const WINHTTP_FIX: u32 = 0xA00;

/// One registry view: the native (64-bit) one, or `WOW6432Node` read by 32-bit applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum View {
    /// `HKLM\SOFTWARE\...`.
    Native,
    /// `HKLM\SOFTWARE\WOW6432Node\...`.
    Wow64,
}

impl View {
    /// Both views, native first.
    pub const BOTH: [View; 2] = [View::Native, View::Wow64];

    fn index(self) -> usize {
        match self {
            View::Native => 0,
            View::Wow64 => 1,
        }
    }

    /// `64-bit` / `32-bit`.
    pub fn label(self) -> &'static str {
        match self {
            View::Native => "64-bit",
            View::Wow64 => "32-bit (WOW6432Node)",
        }
    }
}

/// `Enabled` / `DisabledByDefault` of one `Protocols\<version>\Client` key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProtocolValues {
    /// `Enabled`.
    pub enabled: Option<u32>,
    /// `DisabledByDefault`.
    pub disabled_by_default: Option<u32>,
}

/// The two .NET values of one `.NETFramework\<version>` key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DotNetValues {
    /// `SchUseStrongCrypto`.
    pub strong_crypto: Option<u32>,
    /// `SystemDefaultTlsVersions`.
    pub system_default: Option<u32>,
}

/// The registry values (and the update) that decide what a Windows client offers. Absent
/// values mean the OS default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegState {
    /// Whether the article's update for the OS is installed.
    pub update_installed: bool,
    /// `SCHANNEL\Protocols\<version>\Client` values.
    pub schannel_client: BTreeMap<V, ProtocolValues>,
    /// `SCHANNEL\Protocols\<version>\Server` values (audited, not used by clients).
    pub schannel_server: BTreeMap<V, ProtocolValues>,
    /// WinHTTP `DefaultSecureProtocols` per view.
    pub winhttp: [Option<u32>; 2],
    /// `.NETFramework\v4.0.30319` per view.
    pub dotnet4: [DotNetValues; 2],
    /// `.NETFramework\v2.0.50727` per view.
    pub dotnet2: [DotNetValues; 2],
    /// The cipher-suite order policy (`Functions`), when set.
    pub suite_order: Option<Vec<u16>>,
}

impl RegState {
    /// WinHTTP's value in one view.
    pub fn winhttp(&self, view: View) -> Option<u32> {
        self.winhttp[view.index()]
    }

    /// Sets WinHTTP's value in one view.
    pub fn set_winhttp(&mut self, view: View, v: Option<u32>) {
        self.winhttp[view.index()] = v;
    }

    /// .NET 4.x values in one view.
    pub fn dotnet4(&self, view: View) -> DotNetValues {
        self.dotnet4[view.index()]
    }

    /// .NET 4.x values in one view, mutable.
    pub fn dotnet4_mut(&mut self, view: View) -> &mut DotNetValues {
        &mut self.dotnet4[view.index()]
    }

    /// .NET 2.0–3.5 values in one view, mutable.
    pub fn dotnet2_mut(&mut self, view: View) -> &mut DotNetValues {
        &mut self.dotnet2[view.index()]
    }

    /// .NET 2.0–3.5 values in one view.
    pub fn dotnet2(&self, view: View) -> DotNetValues {
        self.dotnet2[view.index()]
    }

    /// This state with everything the article sets for `os`: the update where the OS has one,
    /// `DefaultSecureProtocols` (unless it already has TLS 1.2), the TLS 1.2 client values and
    /// both .NET values in both views.
    pub fn with_article_fix(&self, os: &OsRow) -> RegState {
        let mut s = self.clone();
        if os.update.is_some() {
            s.update_installed = true;
        }
        for view in View::BOTH {
            if s.winhttp(view).is_none_or(|bits| bits & 0x800 == 0) {
                s.set_winhttp(view, Some(WINHTTP_FIX));
            }
            *s.dotnet4_mut(view) = DotNetValues {
                strong_crypto: Some(1),
                system_default: Some(1),
            };
            *s.dotnet2_mut(view) = DotNetValues {
                strong_crypto: Some(1),
                system_default: Some(1),
            };
        }
        s.schannel_client.insert(
            V::Tls12,
            ProtocolValues {
                enabled: Some(1),
                disabled_by_default: Some(0),
            },
        );
        s
    }
}

/// Which kind of application the client is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// An SChannel application asking for the system's default protocols.
    Schannel,
    /// A WinHTTP application asking for WinHTTP's default protocols.
    WinHttp,
    /// A .NET Framework 4.x application built for 4.5.x or older (the MARS agent).
    DotNet4,
}

impl ClientKind {
    /// Every kind, in report order.
    pub const ALL: [ClientKind; 3] = [
        ClientKind::Schannel,
        ClientKind::WinHttp,
        ClientKind::DotNet4,
    ];

    /// JSON / report spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientKind::Schannel => "schannel",
            ClientKind::WinHttp => "winhttp",
            ClientKind::DotNet4 => "dotnet4",
        }
    }
}

impl OsRow {
    /// Whether Schannel can do `v` at all in this state.
    pub fn supported(&self, st: &RegState, v: V) -> bool {
        self.schannel.contains(&v) || (st.update_installed && self.update_adds.contains(&v))
    }

    /// Whether `v` is supported and not switched off (`Enabled = 0`).
    pub fn enabled(&self, st: &RegState, v: V) -> bool {
        self.supported(st, v)
            && st
                .schannel_client
                .get(&v)
                .and_then(|p| p.enabled)
                .is_none_or(|e| e != 0)
    }

    /// Whether an application asking for the system default gets `v`.
    pub fn on_by_default(&self, st: &RegState, v: V) -> bool {
        self.enabled(st, v)
            && match st
                .schannel_client
                .get(&v)
                .and_then(|p| p.disabled_by_default)
            {
                Some(d) => d == 0,
                None => self.default_on.contains(&v),
            }
    }

    fn every_version(&self) -> impl Iterator<Item = V> + '_ {
        [V::Ssl3, V::Tls10, V::Tls11, V::Tls12, V::Tls13].into_iter()
    }

    /// The versions a client of `kind` offers in this state (highest first); `view` is the
    /// registry view the application reads (32-bit applications read WOW6432Node).
    pub fn versions_for(&self, st: &RegState, kind: ClientKind, view: View) -> Vec<V> {
        let system_default: Vec<V> = self
            .every_version()
            .filter(|&v| self.on_by_default(st, v))
            .collect();
        let explicit = |wanted: &[V]| -> Vec<V> {
            self.every_version()
                .filter(|v| wanted.contains(v) && self.enabled(st, *v))
                .collect()
        };
        let mut out = match kind {
            ClientKind::Schannel => system_default,
            ClientKind::WinHttp => {
                let bits = st.winhttp(view);
                let honoured = !self.update_winhttp || st.update_installed;
                match bits.filter(|_| honoured) {
                    Some(b) => explicit(
                        &WINHTTP_BITS
                            .iter()
                            .filter(|(_, bit)| b & bit != 0)
                            .map(|(v, _)| *v)
                            .collect::<Vec<_>>(),
                    ),
                    None if self.update_winhttp => explicit(&self.winhttp_default),
                    None => system_default,
                }
            }
            ClientKind::DotNet4 => {
                let d = st.dotnet4(view);
                if d.system_default == Some(1) {
                    system_default
                } else if d.strong_crypto.is_some_and(|s| s != 0) {
                    explicit(&[V::Tls10, V::Tls11, V::Tls12])
                } else {
                    explicit(&self.dotnet_legacy)
                }
            }
        };
        out.sort_by(|a, b| b.cmp(a));
        out
    }
}

/// A profile name's parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    /// `+kb`.
    pub kb: bool,
    /// `+tls12`.
    pub tls12: bool,
    /// `+dotnet`.
    pub dotnet: bool,
    /// `+strongcrypto`.
    pub strongcrypto: bool,
}

impl Modifiers {
    /// The registry state these modifiers stand for.
    pub fn state(self) -> RegState {
        let mut s = RegState::default();
        if self.kb {
            s.update_installed = true;
            for view in View::BOTH {
                s.set_winhttp(view, Some(WINHTTP_FIX));
            }
        }
        if self.tls12 {
            s.schannel_client.insert(
                V::Tls12,
                ProtocolValues {
                    enabled: Some(1),
                    disabled_by_default: Some(0),
                },
            );
        }
        if self.strongcrypto {
            for view in View::BOTH {
                let on = DotNetValues {
                    strong_crypto: Some(1),
                    system_default: Some(1),
                };
                *s.dotnet4_mut(view) = on;
                *s.dotnet2_mut(view) = on;
            }
        }
        s
    }

    /// The kind of client.
    pub fn kind(self) -> ClientKind {
        if self.dotnet || self.strongcrypto {
            ClientKind::DotNet4
        } else {
            ClientKind::Schannel
        }
    }

    /// `+kb+tls12...` in canonical order.
    pub fn suffix(self) -> String {
        let mut s = String::new();
        for (on, name) in [
            (self.kb, "kb"),
            (self.tls12, "tls12"),
            (self.dotnet, "dotnet"),
            (self.strongcrypto, "strongcrypto"),
        ] {
            if on {
                s.push('+');
                s.push_str(name);
            }
        }
        s
    }
}

/// Where a profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A fixed client (`modern`).
    Fixed,
    /// An OS name with modifiers.
    Modifiers(Modifiers),
    /// A registry export evaluated for an OS.
    Registry,
}

/// A resolved profile: a name and the exact offer.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile name as reported (`win2008r2+kb+tls12`).
    pub name: String,
    /// The Windows row, for OS profiles.
    pub os: Option<&'static OsRow>,
    /// Which kind of application.
    pub kind: ClientKind,
    /// The registry state it was evaluated with.
    pub state: RegState,
    /// How it was made.
    pub origin: Origin,
    /// What it sends.
    pub spec: HelloSpec,
}

/// A profile name that does not resolve.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown client profile {input:?}: {reason}")]
pub struct ProfileError {
    /// What was given.
    pub input: String,
    /// Why it does not resolve.
    pub reason: String,
}

impl Profile {
    /// The profile of an OS row in a registry state.
    pub fn evaluate(
        os: &'static OsRow,
        state: RegState,
        kind: ClientKind,
        name: String,
        origin: Origin,
    ) -> Profile {
        let versions = os.versions_for(&state, kind, View::Native);
        let spec = os.spec(&versions, state.suite_order.as_deref());
        Profile {
            name,
            os: Some(os),
            kind,
            state,
            origin,
            spec,
        }
    }

    /// Resolves a profile name: `modern`, or an OS id followed by `+`-joined modifiers.
    pub fn parse(input: &str) -> Result<Profile, ProfileError> {
        let cl: &'static Clients = clients();
        let err = |reason: String| ProfileError {
            input: input.to_string(),
            reason,
        };
        let mut parts = input.trim().split('+');
        let base = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let mods: Vec<String> = parts.map(|m| m.trim().to_ascii_lowercase()).collect();
        if let Some(c) = cl.fixed(&base) {
            if !mods.is_empty() {
                return Err(err(format!("{base} takes no modifiers")));
            }
            return Ok(Profile {
                name: c.id.clone(),
                os: None,
                kind: ClientKind::Schannel,
                state: RegState::default(),
                origin: Origin::Fixed,
                spec: c.spec.clone(),
            });
        }
        let Some(os) = cl.os(&base) else {
            let names: Vec<&str> = cl.os.iter().map(|o| o.id.as_str()).collect();
            return Err(err(format!("no such OS; known: {}", names.join(", "))));
        };
        let mut m = Modifiers::default();
        for name in &mods {
            match name.as_str() {
                "kb" => m.kb = true,
                "tls12" => m.tls12 = true,
                "dotnet" => m.dotnet = true,
                "strongcrypto" => m.strongcrypto = true,
                "fixed" => {
                    m.kb = true;
                    m.tls12 = true;
                    m.strongcrypto = m.strongcrypto || m.dotnet;
                }
                other => {
                    return Err(err(format!(
                        "unknown modifier +{other}; known: +{}",
                        MODIFIERS.join(", +")
                    )));
                }
            }
        }
        // `+fixed` written before `+dotnet` still fixes the .NET values.
        if mods.iter().any(|x| x == "fixed") && m.dotnet {
            m.strongcrypto = true;
        }
        Ok(Self::from_modifiers(os, m))
    }

    /// The profile of an OS with modifiers.
    pub fn from_modifiers(os: &'static OsRow, m: Modifiers) -> Profile {
        let m = Modifiers {
            kb: m.kb && os.update.is_some(),
            ..m
        };
        Self::evaluate(
            os,
            m.state(),
            m.kind(),
            format!("{}{}", os.id, m.suffix()),
            Origin::Modifiers(m),
        )
    }

    /// The profile with the article's fix for its OS applied, named by the smallest set of
    /// modifiers that gives the same offer; `None` for fixed clients, and when the fix changes
    /// nothing in what the client offers (then only the server side can help).
    pub fn fixed(&self) -> Option<Profile> {
        let os = self.os?;
        let fixed = match &self.origin {
            Origin::Fixed => return None,
            Origin::Modifiers(m) => {
                let full = Modifiers {
                    kb: os.update.is_some(),
                    tls12: true,
                    dotnet: m.dotnet,
                    strongcrypto: m.strongcrypto || self.kind == ClientKind::DotNet4,
                };
                let target = Self::from_modifiers(os, full).spec;
                // Drop each registry change the original lacked when the offer stays the same;
                // the update stays (the article prescribes it, WinHTTP clients need it).
                let mut best = full;
                for drop in 0..2 {
                    let mut trial = best;
                    match drop {
                        0 if !m.tls12 => trial.tls12 = false,
                        1 if !m.strongcrypto => trial.strongcrypto = false,
                        _ => continue,
                    }
                    if Self::from_modifiers(os, trial).spec == target {
                        best = trial;
                    }
                }
                if best.strongcrypto {
                    best.dotnet = true;
                }
                Self::from_modifiers(os, best)
            }
            Origin::Registry => Self::evaluate(
                os,
                self.state.with_article_fix(os),
                self.kind,
                format!("{} with the article's values", self.name),
                Origin::Registry,
            ),
        };
        (fixed.spec != self.spec).then_some(fixed)
    }
}

/// Every named combination `simulate --list` shows for one OS.
pub fn list_combinations(os: &'static OsRow) -> Vec<Profile> {
    let combos = [
        Modifiers::default(),
        Modifiers {
            kb: true,
            ..Modifiers::default()
        },
        Modifiers {
            tls12: true,
            ..Modifiers::default()
        },
        Modifiers {
            kb: true,
            tls12: true,
            ..Modifiers::default()
        },
        Modifiers {
            dotnet: true,
            ..Modifiers::default()
        },
        Modifiers {
            dotnet: true,
            strongcrypto: true,
            ..Modifiers::default()
        },
        Modifiers {
            kb: true,
            tls12: true,
            dotnet: true,
            strongcrypto: true,
        },
    ];
    let mut out: Vec<Profile> = Vec::new();
    for m in combos {
        let p = Profile::from_modifiers(os, m);
        if !out.iter().any(|q| q.name == p.name) {
            out.push(p);
        }
    }
    out
}
