from waveform import sine


def test_length():
    assert len(sine(440.0, 0.5, rate=1000)) == 500
