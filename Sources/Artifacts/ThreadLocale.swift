import CArchive

/// Runs code with a UTF-8 character type on the calling thread only.
///
/// libarchive converts names to pax's UTF-8 through the current locale; in
/// the "C" locale a Swift process starts in, a name such as `spaß.txt` would
/// be stored as raw bytes under `hdrcharset=BINARY`, which GNU tar warns
/// about. `uselocale` changes only this thread, so other threads are not
/// affected; `body` must not suspend.
enum ThreadLocale {
    static func withUTF8CharacterType<Result, Failure: Error>(
        _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard let utf8 = sf_archive_new_utf8_locale() else { return try body() }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return try body()
    }
}
