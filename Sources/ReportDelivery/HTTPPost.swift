import AgentSystem
import CCurl
import ConfigKeys

/// One POST through libcurl: no redirects, HTTP(S) only, no signals, a
/// hard time limit, the response body discarded.
enum HTTPPost {
    /// The HTTP status, or why there was none.
    static func send(_ body: [UInt8], to target: ReportTarget) -> (status: Int?, error: String?) {
        if let problem = sf_curl_load() {
            let library = String(cString: sf_curl_library)
            return (
                nil,
                "cannot load libcurl (\(library)), which \(ConfigKey.reportURL) needs: \(String(cString: problem)); "
                    + "install it (Debian: libcurl4) or leave \(ConfigKey.reportURL) empty"
            )
        }
        guard let handle = sf_curl_easy_init() else { return (nil, "libcurl could not start a request") }
        defer { sf_curl_easy_cleanup(handle) }
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = sf_curl_slist_append(headers, "Content-Type: application/json")
        if let token = target.bearerToken { headers = sf_curl_slist_append(headers, "Authorization: Bearer \(token)") }
        defer { sf_curl_slist_free_all(headers) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let milliseconds = max(1, target.timeout.milliseconds)

        let code: CURLcode = body.withUnsafeBytes { bytes in
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                target.url.withCString { url in
                    (target.caFile ?? "").withCString { caFile in
                        var result = sf_curl_setopt_pointer(handle, CURLOPT_URL, url)
                        func set(_ option: CURLoption, _ value: Int) {
                            if result == CURLE_OK { result = sf_curl_setopt_long(handle, option, value) }
                        }
                        func set(_ option: CURLoption, pointer: UnsafeRawPointer?) {
                            if result == CURLE_OK { result = sf_curl_setopt_pointer(handle, option, pointer) }
                        }
                        set(CURLOPT_ERRORBUFFER, pointer: errors.baseAddress)
                        set(CURLOPT_NOSIGNAL, 1)
                        set(CURLOPT_FOLLOWLOCATION, 0)
                        // Never through a proxy named by http_proxy, https_proxy or
                        // ALL_PROXY: whoever sets the environment would read the token.
                        "".withCString { set(CURLOPT_PROXY, pointer: $0) }
                        set(CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS))
                        set(CURLOPT_POST, 1)
                        set(CURLOPT_POSTFIELDS, pointer: bytes.baseAddress)
                        if result == CURLE_OK {
                            result = sf_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                        }
                        set(CURLOPT_HTTPHEADER, pointer: headers)
                        set(CURLOPT_TIMEOUT_MS, milliseconds)
                        set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
                        if target.caFile != nil { set(CURLOPT_CAINFO, pointer: caFile) }
                        if result == CURLE_OK { result = sf_curl_discard_body(handle) }
                        guard result == CURLE_OK else { return result }
                        return sf_curl_easy_perform(handle)
                    }
                }
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: sf_curl_easy_strerror(code)) : detail
            return (nil, reason)
        }
        var status = 0
        _ = sf_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, nil)
    }
}
