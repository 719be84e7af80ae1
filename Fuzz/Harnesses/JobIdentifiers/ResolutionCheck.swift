import AgentSystem
import Launch

/// An accepted SCRIPT_ID resolved in ``CheckoutFixture``: what comes back
/// must lie inside the checkout, and a refusal must be the right one.
enum ResolutionCheck {
    static let orders: [[String]] = [["ps1", "py", "sh"], ["sh", "py"], ["py"], ["sh"]]

    static func run(scriptID: String, choice: UInt8) {
        let checkout = CheckoutFixture.checkout
        guard let root = CheckoutFixture.realPath(checkout) else { Property.fail("the fixture has no checkout") }
        let directory = CheckoutFixture.scriptsDirectories[Int(choice) % CheckoutFixture.scriptsDirectories.count]
        let extensions = orders[Int(choice >> 3) % orders.count]
        let candidates = extensions.map { (ext: $0, relative: Path.join(directory, "\(scriptID).\($0)")) }
        let firstPresent = candidates.first { CheckoutFixture.exists(root + "/" + $0.relative) }
        do {
            let script = try ScriptResolver.resolve(
                scriptID: scriptID, checkout: checkout, scriptsDirectory: directory, extensions: extensions)
            Property.expect(
                ReferenceIdentifiers.isInside(Array(script.path.utf8), directory: Array(root.utf8))
                    && script.path != root,
                "\(scriptID) in \(shown(directory)) resolved to \(script.path), outside \(root)")
            Property.expect(
                CheckoutFixture.realPath(script.path) == script.path, "the resolved path is canonical",
                found: script.path)
            Property.expect(
                CheckoutFixture.isRegularFile(script.path), "the resolved path is a regular file", found: script.path)
            Property.expect(
                firstPresent.map { $0.ext == script.fileExtension && $0.relative == script.relativePath } == true,
                "the first extension present wins", expected: firstPresent as Any, found: script)
        } catch {
            guard let present = firstPresent else {
                Property.expect(error.code == .notFound, "nothing there is not found", found: error)
                return
            }
            let real = CheckoutFixture.realPath(root + "/" + present.relative)
            let outside =
                real.map { !ReferenceIdentifiers.isInside(Array($0.utf8), directory: Array(root.utf8)) } ?? true
            let expected: ScriptResolutionError.Code = outside ? .escapesCheckout : .notRegularFile
            Property.expect(
                error.code == expected, "\(present.relative) is refused as \(expected)", expected: expected,
                found: error)
        }
    }
}
