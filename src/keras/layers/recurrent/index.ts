// Recurrent layers (SimpleRNN, LSTM, GRU) and the Bidirectional / TimeDistributed wrappers.
export { BaseRNN, type BaseRNNArgs, type StepContext, type StepFn } from './base-rnn.js';
export { SimpleRNN, simpleRNN, type SimpleRNNArgs } from './simple-rnn.js';
export { LSTM, lstm, type LSTMArgs } from './lstm.js';
export { GRU, gru, type GRUArgs } from './gru.js';
export { Bidirectional, bidirectional, type BidirectionalArgs, type BidirectionalMergeMode } from './bidirectional.js';
export { TimeDistributed, timeDistributed, type TimeDistributedArgs } from './time-distributed.js';
