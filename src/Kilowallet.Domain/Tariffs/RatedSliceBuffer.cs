using System.Collections;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// A reusable, growable buffer the rater appends slices to, so rating allocates nothing once the buffer
/// has grown to its working size. Not thread-safe: one per worker.
/// </summary>
public sealed class RatedSliceBuffer : IReadOnlyList<RatedSlice>
{
    private RatedSlice[] _items;
    private int _count;

    public RatedSliceBuffer(int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new RatedSlice[capacity];
    }

    public int Count => _count;

    public RatedSlice this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _items[index];
        }
    }

    public void Clear() => _count = 0;

    public ReadOnlySpan<RatedSlice> AsSpan() => _items.AsSpan(0, _count);

    public ReadOnlySpan<RatedSlice> AsSpan(int start, int length) => AsSpan().Slice(start, length);

    /// <summary>The slices a <see cref="RatingResult"/> appended.</summary>
    public ReadOnlySpan<RatedSlice> SlicesOf(RatingResult result) => AsSpan(result.FirstSlice, result.SliceCount);

    public RatedSlice[] ToArray() => AsSpan().ToArray();

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<RatedSlice> IEnumerable<RatedSlice>.GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<RatedSlice>)this).GetEnumerator();

    internal void Add(in RatedSlice slice)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count++] = slice;
    }

    /// <summary>Drops slices appended after <paramref name="count"/> (a rating that turned out to be quarantined).</summary>
    internal void Truncate(int count) => _count = count;

    /// <summary>Enumerates without allocating.</summary>
    public struct Enumerator
    {
        private readonly RatedSliceBuffer _buffer;
        private int _index;

        internal Enumerator(RatedSliceBuffer buffer)
        {
            _buffer = buffer;
            _index = -1;
        }

        public readonly RatedSlice Current => _buffer._items[_index];

        public bool MoveNext() => ++_index < _buffer._count;
    }
}
