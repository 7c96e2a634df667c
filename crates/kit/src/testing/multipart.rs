//! A `multipart/form-data` body as a browser's form sends it, written out
//! by hand so the same bytes reach a router in process or a socket (and a
//! test can send a file under any name and type it likes).

/// The file of a form.
pub struct FilePart<'a> {
    /// The form field (`cv`).
    pub field: &'a str,
    /// The name the browser reports (`cv.pdf`).
    pub file_name: &'a str,
    /// Its declared type (`application/pdf`).
    pub mime: &'a str,
    pub bytes: &'a [u8],
}

const BOUNDARY: &str = "xQuickCareTestBoundary";

/// The content type and body of a form of text `fields` and one `file`.
pub fn form(fields: &[(&str, &str)], file: &FilePart<'_>) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
             Content-Type: {}\r\n\r\n",
            file.field, file.file_name, file.mime
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}
