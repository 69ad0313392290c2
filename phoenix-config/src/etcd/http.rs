//! The smallest HTTP/1.1 client etcd's JSON gateway needs: one `POST` per
//! connection, a body by `Content-Length` or chunked, and a streaming body
//! for watches. Plain TCP from the standard library: no async runtime, no
//! extra crate, every wait bounded by the connect and request timeouts.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The largest response read (a range of a big prefix stays far below).
const MAX_BODY: usize = 64 << 20;

/// A `POST` of a JSON body to `host:port` + `path`.
pub(crate) struct Request<'a> {
    pub(crate) endpoint: &'a str,
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
    Sized(io::Take<BufReader<TcpStream>>),
    Chunked { reader: BufReader<TcpStream>, left: usize, done: bool },
}

impl Request<'_> {
    /// Connects, sends the request and reads the status line and headers.
    pub(crate) fn send(&self) -> io::Result<Response> {
        let stream = self.connect()?;
        stream.set_read_timeout(self.read_timeout)?;
        stream.set_write_timeout(Some(self.read_timeout.unwrap_or(self.connect_timeout)))?;
        stream.set_nodelay(true)?;
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.path,
            self.endpoint,
            self.body.len()
        );
        if let Some(token) = self.token {
            head.push_str("Authorization: ");
            head.push_str(token);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let mut writer = &stream;
        writer.write_all(head.as_bytes())?;
        writer.write_all(self.body.as_bytes())?;
        read_head(BufReader::new(stream))
    }

    fn connect(&self) -> io::Result<TcpStream> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the address resolves to nothing");
        for addr in self.endpoint.to_socket_addrs()? {
            match TcpStream::connect_timeout(&addr, self.connect_timeout) {
                Ok(stream) => return Ok(stream),
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

fn read_head(mut reader: BufReader<TcpStream>) -> io::Result<Response> {
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
fn framing(reader: &mut BufReader<TcpStream>) -> io::Result<(bool, Option<u64>)> {
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

fn read_chunked(
    reader: &mut BufReader<TcpStream>,
    left: &mut usize,
    done: &mut bool,
    buf: &mut [u8],
) -> io::Result<usize> {
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

fn chunk_size(reader: &mut BufReader<TcpStream>) -> io::Result<usize> {
    let line = read_line(reader)?;
    let hex = line.trim().split(';').next().unwrap_or("");
    usize::from_str_radix(hex, 16).map_err(|_| bad(format!("bad chunk size `{hex}`")))
}
