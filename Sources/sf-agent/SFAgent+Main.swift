import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

extension SFAgent {
    /// Every command starts non-dumpable (the fetch worker too: it holds the
    /// credentials), before any credential or secret is read.
    static func main() {
        do throws(SystemError) { try ProcessPrivacy.forbidInspection() } catch {
            Console.error("cannot make the process non-dumpable: \(error).")
            Glibc.exit(71)
        }
        main(nil)
    }
}
