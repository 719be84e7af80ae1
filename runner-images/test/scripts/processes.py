"""A process pool, a process pool executor and a lock: POSIX semaphores in /dev/shm."""
import concurrent.futures
import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("pool", pool.map(square, range(4)))
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        print("executor", list(pool.map(square, range(3))))
    lock = multiprocessing.Lock()
    lock.acquire()
    lock.release()
    print("lock ok")
