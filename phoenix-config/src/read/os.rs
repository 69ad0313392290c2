//! The three C constants [`super::open`] and [`super::is_symlink_loop`]
//! need: `O_NONBLOCK`, `O_NOCTTY` and `ELOOP`, the values of the target's C
//! headers. std uses them but does not expose them, and the `libc` crate
//! (a build script and about 1 s of a clean build's CPU, for three numbers)
//! is only a dependency on the Unix targets this table does not know
//! (`Cargo.toml` names the same targets). The unit test below checks every
//! value against `libc` on the target the tests run on.

// Linux and Android, except the architectures with their own numbers.
#[cfg(all(
    any(target_os = "linux", target_os = "android"),
    not(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "sparc",
        target_arch = "sparc64"
    ))
))]
mod values {
    pub(crate) const O_NONBLOCK: i32 = 0o4000;
    pub(crate) const O_NOCTTY: i32 = 0o400;
    pub(crate) const ELOOP: i32 = 40;
}

#[cfg(all(
    any(target_os = "linux", target_os = "android"),
    any(target_arch = "mips", target_arch = "mips32r6", target_arch = "mips64", target_arch = "mips64r6")
))]
mod values {
    pub(crate) const O_NONBLOCK: i32 = 0o200;
    pub(crate) const O_NOCTTY: i32 = 0o4000;
    pub(crate) const ELOOP: i32 = 90;
}

#[cfg(all(any(target_os = "linux", target_os = "android"), any(target_arch = "sparc", target_arch = "sparc64")))]
mod values {
    pub(crate) const O_NONBLOCK: i32 = 0x4000;
    pub(crate) const O_NOCTTY: i32 = 0x8000;
    pub(crate) const ELOOP: i32 = 62;
}

// macOS, iOS and the other Apple systems.
#[cfg(target_vendor = "apple")]
mod values {
    pub(crate) const O_NONBLOCK: i32 = 0x4;
    pub(crate) const O_NOCTTY: i32 = 0x2_0000;
    pub(crate) const ELOOP: i32 = 62;
}

#[cfg(any(target_os = "freebsd", target_os = "dragonfly", target_os = "netbsd", target_os = "openbsd"))]
mod values {
    pub(crate) const O_NONBLOCK: i32 = 0x4;
    pub(crate) const O_NOCTTY: i32 = 0x8000;
    pub(crate) const ELOOP: i32 = 62;
}

#[cfg(any(target_os = "solaris", target_os = "illumos"))]
mod values {
    pub(crate) const O_NONBLOCK: i32 = 0x80;
    pub(crate) const O_NOCTTY: i32 = 0x800;
    pub(crate) const ELOOP: i32 = 90;
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_vendor = "apple",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "solaris",
    target_os = "illumos"
)))]
mod values {
    pub(crate) use libc::{ELOOP, O_NOCTTY, O_NONBLOCK};
}

pub(crate) use values::{ELOOP, O_NOCTTY, O_NONBLOCK};

#[cfg(test)]
mod tests {
    #[test]
    fn the_values_are_those_of_libc() {
        assert_eq!(super::O_NONBLOCK, libc::O_NONBLOCK);
        assert_eq!(super::O_NOCTTY, libc::O_NOCTTY);
        assert_eq!(super::ELOOP, libc::ELOOP);
    }
}
