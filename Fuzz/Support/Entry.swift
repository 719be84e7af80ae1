/// libFuzzer's entry point: hands each input to the harness built with it
/// (each harness defines `enum Harness { static func run(_ input: [UInt8]) }`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    Harness.run(input)
    return 0
}
