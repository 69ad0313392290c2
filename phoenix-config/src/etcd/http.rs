//! The smallest HTTP/1.1 client etcd's JSON gateway needs: one `POST` per
//! connection, a body by `Content-Length` or chunked, and a streaming body
//! for watches. TCP from the standard library, TLS by rustls for
//! `https://` endpoints: no async runtime, every wait (the TLS handshake
//! included) bounded by the connect and request timeouts.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use rustls::{ClientConnection, StreamOwned};

use super::tls::TlsConfig;

/// The largest response read (a range of a big prefix stays far below).
const MAX_BODY: usize = 64 << 20;

/// A `POST` of a JSON body to `host:port` + `path` (`https://host:port`: over TLS).
pub(crate) struct Request<'a> {
    pub(crate) endpoint: &'a str,
    /// The TLS configuration, needed when `endpoint` is `https://`.
    pub(crate) tls: Option<&'a TlsConfig>,
    /// Bound on every read and write of the TLS handshake.
    pub(crate) handshake_timeout: Duration,
    pub(crate) path: &'a str,
    pub(crate) body: &'a str,
    pub(crate) token: Option<&'a str>,
    pub(crate) connect_timeout: Duration,
    /// Bound on every read and write (`None`: wait, for a watch stream
    /// whose own keep-alive bounds it).
    pub(crate) read_timeout: Option<Duration>,
}

/// An open response: status and a body reader.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Body,
}

/// A response body, chunked or sized.
pub(crate) enum Body {
    Sized(io::Take<BufReader<Conn>>),
    Chunked { reader: BufReader<Conn>, left: usize, done: bool },
}

/// A connection: plain TCP or TLS over it.
pub(crate) enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Conn {
    /// A write that failed on a TLS connection: the server may have closed
    /// it after sending an alert (a refused client certificate, TLS 1.3),
    /// which is still waiting to be read and says why.
    fn alert_after(&mut self, error: io::Error) -> io::Error {
        let Conn::Tls(stream) = self else { return error };
        // Straight from the socket: the stream's own read would first try
        // to send the request again, and fail as the write did.
        let StreamOwned { conn, sock } = &mut **stream;
        match (conn.read_tls(sock), conn.process_new_packets()) {
            (Ok(_), Err(alert)) => io::Error::new(io::ErrorKind::InvalidData, alert),
            _ => error,
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(stream) => stream.read(buf),
            Conn::Tls(stream) => stream.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(stream) => stream.write(buf),
            Conn::Tls(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Plain(stream) => stream.flush(),
            Conn::Tls(stream) => stream.flush(),
        }
    }
}

impl Request<'_> {
    /// Connects, sends the request and reads the status line and headers.
    pub(crate) fn send(&self) -> io::Result<Response> {
        let (secure, address) = match self.endpoint.strip_prefix("https://") {
            Some(address) => (true, address),
            None => (false, self.endpoint),
        };
        let mut conn = self.open(secure, address)?;
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.path,
            self.body.len()
        );
        if let Some(token) = self.token {
            head.push_str("Authorization: ");
            head.push_str(token);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let sent = (conn.write_all(head.as_bytes()))
            .and_then(|()| conn.write_all(self.body.as_bytes()))
            .and_then(|()| conn.flush());
        // A server that refuses a client certificate says so (TLS 1.3)
        // after the handshake: on the first write or read.
        let tls_error = |e: io::Error| match self.tls {
            Some(tls) if secure => tls.io_error(host(address), e),
            _ if is_cut(&e) => io::Error::new(
                e.kind(),
                format!("{e} before an answer (if the endpoint serves TLS, write it as https://host:port)"),
            ),
            _ => e,
        };
        sent.map_err(|e| tls_error(conn.alert_after(e)))?;
        read_head(BufReader::new(conn)).map_err(tls_error)
    }

    /// Connects, over TLS when `secure`, with the read and write timeouts set.
    fn open(&self, secure: bool, address: &str) -> io::Result<Conn> {
        let stream = self.connect(address)?;
        stream.set_nodelay(true)?;
        let write = self.read_timeout.unwrap_or(self.connect_timeout);
        if !secure {
            stream.set_read_timeout(self.read_timeout)?;
            stream.set_write_timeout(Some(write))?;
            return Ok(Conn::Plain(stream));
        }
        let tls = self.tls.ok_or_else(|| io::Error::other("TLS is not set up for this endpoint"))?;
        let stream = tls.connect(host(address), stream, self.handshake_timeout, self.read_timeout, write)?;
        Ok(Conn::Tls(Box::new(stream)))
    }

    fn connect(&self, address: &str) -> io::Result<TcpStream> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the address resolves to nothing");
        for addr in address.to_socket_addrs()? {
            match TcpStream::connect_timeout(&addr, self.connect_timeout) {
                Ok(stream) => return Ok(stream),
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

/// The server cut the connection.
pub(crate) fn is_cut(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe | io::ErrorKind::UnexpectedEof)
}

/// The host of `host:port` (`[::1]:2379` → `::1`): the name the server's
/// certificate must hold (an IP address matches an IP SAN).
fn host(address: &str) -> &str {
    let host = address.rsplit_once(':').map_or(address, |(host, _)| host);
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host)
}

fn read_head(mut reader: BufReader<Conn>) -> io::Result<Response> {
    let status_line = read_line(&mut reader)?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad(format!("not an HTTP response: {}", status_line.trim())))?;
    let (chunked, length) = framing(&mut reader)?;
    let body = if chunked {
        Body::Chunked { reader, left: 0, done: false }
    } else {
        Body::Sized(reader.take(length.unwrap_or(MAX_BODY as u64)))
    };
    Ok(Response { status, body })
}

/// Reads the headers: whether the body is chunked, and its length.
fn framing(reader: &mut BufReader<Conn>) -> io::Result<(bool, Option<u64>)> {
    let mut chunked = false;
    let mut length = None;
    loop {
        let line = read_line(reader)?;
        let line = line.trim_end();
        if line.is_empty() {
            return Ok((chunked, length));
        }
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("content-length") {
            length = value.parse::<u64>().ok();
        }
    }
}

fn read_line(reader: &mut impl BufRead) -> io::Result<String> {
    let mut line = String::new();
    if reader.by_ref().take(16 * 1024).read_line(&mut line)? == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection closed"));
    }
    Ok(line)
}

fn bad(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

impl Response {
    /// The whole body (bounded).
    pub(crate) fn text(mut self) -> io::Result<String> {
        let mut out = Vec::new();
        (&mut self.body).take(MAX_BODY as u64 + 1).read_to_end(&mut out)?;
        if out.len() > MAX_BODY {
            return Err(bad(format!("the response is larger than {MAX_BODY} bytes")));
        }
        String::from_utf8(out).map_err(|_| bad("the response is not UTF-8".to_owned()))
    }
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Body::Sized(reader) => reader.read(buf),
            Body::Chunked { reader, left, done } => read_chunked(reader, left, done, buf),
        }
    }
}

fn read_chunked(reader: &mut BufReader<Conn>, left: &mut usize, done: &mut bool, buf: &mut [u8]) -> io::Result<usize> {
    if *done || buf.is_empty() {
        return Ok(0);
    }
    if *left == 0 {
        *left = chunk_size(reader)?;
        if *left == 0 {
            *done = true;
            return Ok(0);
        }
    }
    let wanted = buf.len().min(*left);
    let n = reader.read(&mut buf[..wanted])?;
    if n == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection closed inside a chunk"));
    }
    *left -= n;
    if *left == 0 {
        read_line(reader)?; // the CRLF after the chunk
    }
    Ok(n)
}

fn chunk_size(reader: &mut BufReader<Conn>) -> io::Result<usize> {
    let line = read_line(reader)?;
    let hex = line.trim().split(';').next().unwrap_or("");
    usize::from_str_radix(hex, 16).map_err(|_| bad(format!("bad chunk size `{hex}`")))
}

#[cfg(test)]
mod tests {
    use super::host;

    #[test]
    fn the_host_is_the_name_to_verify() {
        assert_eq!(host("127.0.0.1:2379"), "127.0.0.1");
        assert_eq!(host("[::1]:2379"), "::1");
        assert_eq!(host("etcd.internal:2379"), "etcd.internal");
    }
}
